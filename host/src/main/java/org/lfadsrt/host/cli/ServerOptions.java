package org.lfadsrt.host.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lfadsrt.host.server.ServerLimits;
import picocli.CommandLine.Option;

/**
 * The rig server's freshness and admission limits and where the control token comes from (docs/security.md). The
 * defaults are {@link ServerLimits}'s constants; {@code CliDefaultsTest} checks that they agree.
 */
public final class ServerOptions {
  @Option(names = "--max-result-age-ms", paramLabel = "MS", description = "A result older than this when its client can take it "
      + "is never sent (counted in that client's client_drops; told to clients in HANDSHAKE) (default: ${DEFAULT-VALUE}).")
  int maxResultAgeMillis = ServerLimits.DEFAULT_MAX_RESULT_AGE_MS;

  @Option(names = "--handshake-timeout-ms", paramLabel = "MS", description = "Close connections that have not sent HELLO "
      + "(or a whole HTTP request) by then (default: ${DEFAULT-VALUE}).")
  int handshakeTimeoutMillis = ServerLimits.DEFAULT_HANDSHAKE_TIMEOUT_MS;

  @Option(names = "--max-pending-handshakes", paramLabel = "N", description = "Refuse connections while this many have not "
      + "sent HELLO yet (default: ${DEFAULT-VALUE}).")
  int maxPendingHandshakes = ServerLimits.DEFAULT_MAX_PENDING_HANDSHAKES;

  @Option(names = "--connects-per-second", paramLabel = "N", description = "New connections per second per client address, "
      + "burst twice that; 0: no limit (default: ${DEFAULT-VALUE}).")
  int connectsPerSecond = ServerLimits.DEFAULT_CONNECTS_PER_SECOND;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Read the control token from FILE (first line; keep it "
      + "mode 600). Preferred over --token, which other users can see in the process list.")
  Path tokenFile;

  /** The limits these options give. */
  public ServerLimits limits() {
    return ServerLimits.DEFAULTS.withMaxResultAgeMillis(maxResultAgeMillis)
        .withHandshake(handshakeTimeoutMillis, maxPendingHandshakes, connectsPerSecond);
  }

  /**
   * The control token: from {@code --token-file} when given (then {@code --token} must not be), else
   * {@code tokenOption} ({@code --token} or the environment variable LFADS_RT_TOKEN).
   */
  public String token(String tokenOption, boolean tokenGivenOnCommandLine) throws IOException {
    if (tokenFile == null) return tokenOption;
    if (tokenGivenOnCommandLine) throw new IllegalArgumentException("give the token by --token-file or --token, not both");
    String text = Files.readString(tokenFile).lines().findFirst().orElse("").strip();
    if (text.isEmpty()) throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
    return text;
  }
}

package org.lfadsrt.host.server;

import java.util.List;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.source.StreamInfo;

/** Everything the HANDSHAKE tells a client about the stream it subscribes to. */
public record StreamDescription(StreamInfo source, ModelShape shape, String backend, String mode, String model,
    List<String> decodedNames) {

  public int decodedDim() {
    return decodedNames.size();
  }
}

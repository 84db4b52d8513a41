package org.lfadsrt.host.server;

import java.util.List;

/** Decoded rig-protocol messages (control traffic; results on the hot path use {@link ResultFlyweight}). */
public sealed interface RigMessage {

  int type();

  /** Client to server, first frame. */
  record Hello(int minVersion, int maxVersion, String clientName, String token) implements RigMessage {
    public int type() { return Protocol.HELLO; }
  }

  /** Server to client, answer to HELLO: the session and the stream it carries (LSL-style stream info). */
  record Handshake(
      int version, long sessionId, long serverMonoNanos, long serverEpochNanos,
      int nIn, int nOut, int facDim, int decodedDim, int tEnc, int tRec,
      long binWidthNanos, double nominalRateHz, int maxFrameBytes, int queueLimitBytes,
      String streamName, String streamType, String sourceId, String backend, String mode, String model,
      String channelFormat, List<String> decodedNames, int maxResultAgeMillis, int features) implements RigMessage {
    public int type() { return Protocol.HANDSHAKE; }

    /** A handshake without a features field (what servers before credit mode sent: features 0). */
    public Handshake(int version, long sessionId, long serverMonoNanos, long serverEpochNanos, int nIn, int nOut, int facDim,
        int decodedDim, int tEnc, int tRec, long binWidthNanos, double nominalRateHz, int maxFrameBytes, int queueLimitBytes,
        String streamName, String streamType, String sourceId, String backend, String mode, String model,
        String channelFormat, List<String> decodedNames, int maxResultAgeMillis) {
      this(version, sessionId, serverMonoNanos, serverEpochNanos, nIn, nOut, facDim, decodedDim, tEnc, tRec, binWidthNanos,
          nominalRateHz, maxFrameBytes, queueLimitBytes, streamName, streamType, sourceId, backend, mode, model,
          channelFormat, decodedNames, maxResultAgeMillis, 0);
    }

    /** A handshake without a maximum result age (0: the field was reserved before). */
    public Handshake(int version, long sessionId, long serverMonoNanos, long serverEpochNanos, int nIn, int nOut, int facDim,
        int decodedDim, int tEnc, int tRec, long binWidthNanos, double nominalRateHz, int maxFrameBytes, int queueLimitBytes,
        String streamName, String streamType, String sourceId, String backend, String mode, String model,
        String channelFormat, List<String> decodedNames) {
      this(version, sessionId, serverMonoNanos, serverEpochNanos, nIn, nOut, facDim, decodedDim, tEnc, tRec, binWidthNanos,
          nominalRateHz, maxFrameBytes, queueLimitBytes, streamName, streamType, sourceId, backend, mode, model,
          channelFormat, decodedNames, 0);
    }
  }

  /**
   * Client to server: which streams, every how many results, and flags ({@link Protocol#SUBSCRIBE_DISCONNECT_ON_OVERFLOW}).
   */
  record Subscribe(int streams, int decimation, int flags) implements RigMessage {
    public int type() { return Protocol.SUBSCRIBE; }

    public Subscribe(int streams, int decimation) {
      this(streams, decimation, 0);
    }
  }

  /**
   * Client to server in credit mode: ready to read {@code grant} more results. Valid grants (1..{@link Protocol#MAX_CREDIT})
   * are shared instances, so a client granting one credit per result costs the event loop no allocation.
   */
  record Credit(long grant) implements RigMessage {
    private static final Credit[] SHARED = new Credit[Protocol.MAX_CREDIT + 1];

    static {
      for (int i = 0; i < SHARED.length; i++) SHARED[i] = new Credit(i);
    }

    public int type() { return Protocol.CREDIT; }

    public static Credit of(long grant) {
      return grant >= 0 && grant < SHARED.length ? SHARED[(int) grant] : new Credit(grant);
    }
  }

  /** Server to client, one per (decimated) bin. */
  record Result(long seq, long binIndex, long tSource, long tAccept, long tBackendStart, long tBackendDone,
      long tEncode, long clientDrops, int flags, int streams, float[] factors, float[] rates, float[] decoded)
      implements RigMessage {
    public int type() { return Protocol.RESULT; }
  }

  /** Server to client: counters and latency, once a second and in answer to SUBSCRIBE. */
  record Status(long binsIn, long published, long dropped, long clientDrops, int clients,
      long p50Nanos, long p99Nanos, long maxNanos, double binsPerSecond, List<DropCount> drops,
      List<DropCount> serverCounters) implements RigMessage {
    public int type() { return Protocol.STATUS; }

    public Status(long binsIn, long published, long dropped, long clientDrops, int clients, long p50Nanos, long p99Nanos,
        long maxNanos, double binsPerSecond, List<DropCount> drops) {
      this(binsIn, published, dropped, clientDrops, clients, p50Nanos, p99Nanos, maxNanos, binsPerSecond, drops, List.of());
    }
  }

  record DropCount(String reason, long count) {}

  /** Both directions: sender's monotonic time and, in replies, the time being echoed. */
  record Heartbeat(long senderNanos, long echoNanos) implements RigMessage {
    public int type() { return Protocol.HEARTBEAT; }
  }

  /** Server to client (and what the decoder emits for a bad inbound frame). */
  record Error(int code, String message) implements RigMessage {
    public int type() { return Protocol.ERROR; }
  }

  /** Server to client: an event the operator and every client should know about. */
  record Notice(int code, String message) implements RigMessage {
    public int type() { return Protocol.NOTICE; }
  }

  /** Client to server: a control operation; needs control rights (see docs/security.md). */
  record Control(int op, String argument) implements RigMessage {
    public int type() { return Protocol.CONTROL; }
  }

  /** Server to client: the outcome of a CONTROL. */
  record ControlReply(int op, int status, String message) implements RigMessage {
    public int type() { return Protocol.CONTROL_REPLY; }
  }
}

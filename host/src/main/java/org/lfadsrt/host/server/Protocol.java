package org.lfadsrt.host.server;

/**
 * Constants of the lfads-rt rig protocol, version 1 (docs/protocol.md is the specification; a test
 * checks the two agree). Every multi-byte field is little-endian. Every frame:
 *
 * <pre>
 *  0        4      5        6        8
 *  +--------+------+--------+--------+----------------------+
 *  | length | type | version| flags  | body                 |
 *  | u32    | u8   | u8     | u16    | (length - 4) bytes   |
 *  +--------+------+--------+--------+----------------------+
 * </pre>
 * {@code length} counts every byte after the length field. Strings are u16 byte count + UTF-8.
 */
public final class Protocol {
  private Protocol() {}

  public static final int VERSION = 1;
  public static final int LENGTH_FIELD_BYTES = 4;
  public static final int HEADER_BYTES = 8; // length + type + version + flags
  /** Largest frame (length field value) a client may send. */
  public static final int MAX_CLIENT_FRAME = 4096;
  /** Default largest frame the server sends; results of big models must fit. */
  public static final int DEFAULT_MAX_SERVER_FRAME = 1 << 20;
  /** "LFRT" read as a little-endian u32: the first body field of HELLO. */
  public static final int HELLO_MAGIC = 0x5452464C;

  // message types
  public static final int HELLO = 0x01;
  public static final int HANDSHAKE = 0x02;
  public static final int SUBSCRIBE = 0x03;
  /**
   * Client to server, credit mode only (SUBSCRIBE flag {@link #SUBSCRIBE_CREDIT}): the client is ready to read this
   * many more RESULTs. Body: u32 grant, 1..{@link #MAX_CREDIT} minus the credit already outstanding.
   */
  public static final int CREDIT = 0x04;
  public static final int RESULT = 0x10;
  public static final int STATUS = 0x11;
  public static final int HEARTBEAT = 0x20;
  /** Server to client: an operator-visible event (backend failover, recording failure). Body: u16 code, string. */
  public static final int NOTICE = 0x12;
  /** Client to server: a control operation (issue 8). Body: u16 op, u16 reserved, string argument. */
  public static final int CONTROL = 0x30;
  /** Server to client: answer to CONTROL. Body: u16 op, u16 status (0 = done, else an ERR_ code), string message. */
  public static final int CONTROL_REPLY = 0x31;
  public static final int ERROR = 0x7F;

  // SUBSCRIBE / RESULT stream bits
  public static final int STREAM_FACTORS = 1;
  public static final int STREAM_RATES = 2;
  public static final int STREAM_DECODED = 4;
  public static final int STREAM_ALL = STREAM_FACTORS | STREAM_RATES | STREAM_DECODED;

  /** SUBSCRIBE flags (the byte after streams): close this connection rather than drop a result for it. */
  public static final int SUBSCRIBE_DISCONNECT_ON_OVERFLOW = 1;
  /**
   * SUBSCRIBE flag: credit (pull) mode. The server sends a RESULT only against credit the client granted with CREDIT,
   * and then the newest result not older than the maximum age; results it skips are counted in client_drops. Only
   * when HANDSHAKE {@code features} has {@link #FEATURE_CREDIT}; not with disconnect-on-overflow.
   */
  public static final int SUBSCRIBE_CREDIT = 2;
  public static final int SUBSCRIBE_FLAGS = SUBSCRIBE_DISCONNECT_ON_OVERFLOW | SUBSCRIBE_CREDIT;

  /** HANDSHAKE {@code features} bit: this server speaks credit mode (CREDIT, SUBSCRIBE flag 2). */
  public static final int FEATURE_CREDIT = 1;
  /** What this server supports, announced in HANDSHAKE. */
  public static final int FEATURES = FEATURE_CREDIT;
  /** Most credit a credit-mode client may have outstanding (granted, not yet used by a RESULT). */
  public static final int MAX_CREDIT = 64;

  // ERROR codes
  public static final int ERR_UNSUPPORTED_VERSION = 1;
  public static final int ERR_UNKNOWN_TYPE = 2;
  public static final int ERR_MALFORMED = 3;
  public static final int ERR_FRAME_TOO_LARGE = 4;
  public static final int ERR_OUT_OF_ORDER = 5;
  public static final int ERR_UNAUTHORIZED = 6;
  public static final int ERR_SHUTTING_DOWN = 7;
  public static final int ERR_TOO_MANY_CLIENTS = 8;
  public static final int ERR_RATE_LIMITED = 9;
  public static final int ERR_CONTROL_FAILED = 10;

  // CONTROL operations
  public static final int OP_STOP = 1;
  public static final int OP_START = 2;
  public static final int OP_LOAD_MODEL = 3;
  public static final int OP_SWITCH_BACKEND = 4;
  public static final int OP_CALIBRATE = 5;

  // NOTICE codes
  public static final int NOTICE_BACKEND_FAILOVER = 1;
  public static final int NOTICE_BACKEND_RECOVERED = 2;
  public static final int NOTICE_RECORDING_FAILED = 3;
  /** An operator's control operation changed the stream (stop, start, load-model, switch-backend, calibrate). */
  public static final int NOTICE_CONTROL = 4;

  public static String typeName(int type) {
    return switch (type) {
      case HELLO -> "HELLO";
      case HANDSHAKE -> "HANDSHAKE";
      case SUBSCRIBE -> "SUBSCRIBE";
      case CREDIT -> "CREDIT";
      case RESULT -> "RESULT";
      case STATUS -> "STATUS";
      case HEARTBEAT -> "HEARTBEAT";
      case NOTICE -> "NOTICE";
      case CONTROL -> "CONTROL";
      case CONTROL_REPLY -> "CONTROL_REPLY";
      case ERROR -> "ERROR";
      default -> "0x" + Integer.toHexString(type);
    };
  }
}

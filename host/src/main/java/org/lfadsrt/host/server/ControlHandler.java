package org.lfadsrt.host.server;

/**
 * Carries out control operations ({@link Protocol#CONTROL}) for clients the server has already
 * authorised (see {@link AccessPolicy}). Runs on the server's control thread, one operation at a time (never on
 * an event loop), so it may take a while (loading a model, fitting a decoder); data clients are not held up.
 */
@FunctionalInterface
public interface ControlHandler {

  /**
   * @param op       one of the {@code Protocol.OP_} codes
   * @param argument the operation's argument (a path, a backend name; may be empty)
   * @return a short message describing what was done
   * @throws ControlException when the operation is refused or fails; its message goes to the client
   */
  String handle(int op, String argument) throws ControlException;

  /** A control operation that could not be done; the message names the operation and the reason. */
  final class ControlException extends Exception {
    public ControlException(String message) {
      super(message);
    }
  }

  /** The handler of a server nobody configured: every operation is refused as unsupported. */
  ControlHandler NONE = (op, arg) -> {
    throw new ControlException(opName(op) + " is not supported by this server");
  };

  static String opName(int op) {
    return switch (op) {
      case Protocol.OP_STOP -> "stop";
      case Protocol.OP_START -> "start";
      case Protocol.OP_LOAD_MODEL -> "load-model";
      case Protocol.OP_SWITCH_BACKEND -> "switch-backend";
      case Protocol.OP_CALIBRATE -> "calibrate";
      default -> "op " + op;
    };
  }
}

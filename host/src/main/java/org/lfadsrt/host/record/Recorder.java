package org.lfadsrt.host.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.ResultSink;

/**
 * Records every ingested bin and every published result to a file ({@link RecordingFormat}), from the
 * hot-path thread, with bounded memory and without blocking it:
 *
 * <ul>
 *   <li>two preallocated buffers: the hot path appends whole records to one while a writer thread
 *       writes the other; when both are busy (the disk is slower than the stream) records are counted
 *       as lost and a GAP record says how many, instead of the hot path waiting;</li>
 *   <li>flush policy: the writer writes and {@code force()}s (fsync) at least every {@code flushMillis},
 *       so a crash loses at most that much; records are written whole, each with a CRC32;</li>
 *   <li>the file is {@code FILE.part} while being written and is renamed to {@code FILE} only by a clean
 *       {@link #close()} (after an END record), so an interrupted recording never looks complete;</li>
 *   <li>an I/O error (full disk) stops recording, is reported once to the operator listener, and every
 *       later record is counted as lost; the pipeline is not affected.</li>
 * </ul>
 */
public final class Recorder implements ResultSink, AutoCloseable {
  private final Path target;
  private final Path partial;
  private final java.nio.channels.WritableByteChannel channel;
  private final long flushNanos;
  private final Consumer<String> operator;
  private final Object lock = new Object();
  private final CRC32 crc = new CRC32();
  private ByteBuffer fill;
  private ByteBuffer spare;
  private ByteBuffer pending;
  private final Thread writer;
  private long lostSinceGap;
  private volatile long lostTotal;
  private volatile long records;
  private volatile long bytesWritten;
  private volatile IOException failure;
  private volatile boolean closing;
  private boolean closed;
  private long binsIn;
  private long published;

  /** Opens {@code file + ".part"} for writing; see {@link #close()}. */
  public static Recorder create(Path file, RecordingHeader header, int bufferBytes, long flushMillis, Consumer<String> operator)
      throws IOException {
    Path part = file.resolveSibling(file.getFileName() + RecordingFormat.PARTIAL_SUFFIX);
    FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    return new Recorder(file, part, ch, header, bufferBytes, flushMillis, operator);
  }

  /** Records into an already open channel (a device such as /dev/full, a pipe); nothing is renamed or fsynced. */
  public static Recorder onChannel(java.nio.channels.WritableByteChannel ch, RecordingHeader header, int bufferBytes, long flushMillis,
      Consumer<String> operator) throws IOException {
    return new Recorder(null, null, ch, header, bufferBytes, flushMillis, operator);
  }

  private Recorder(Path target, Path partial, java.nio.channels.WritableByteChannel channel, RecordingHeader header, int bufferBytes, long flushMillis,
      Consumer<String> operator) throws IOException {
    int largest = Math.max(RecordingFormat.binRecordBytes(header.nIn()),
        RecordingFormat.resultRecordBytes(header.facDim() + header.nOut() + header.decodedDim()));
    if (bufferBytes < 4 * largest) throw new IllegalArgumentException("recording buffer of " + bufferBytes
        + " bytes is too small for records of " + largest + " bytes");
    this.target = target;
    this.partial = partial;
    this.channel = channel;
    this.flushNanos = flushMillis * 1_000_000L;
    this.operator = operator;
    this.fill = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
    this.spare = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
    writeHeader(header);
    this.writer = new Thread(this::writeLoop, "lfads-recorder");
    writer.setDaemon(true);
    writer.start();
  }

  private void writeHeader(RecordingHeader h) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    b.put(RecordingFormat.MAGIC).putShort((short) RecordingFormat.VERSION).putShort((short) 0);
    b.putInt(h.nIn()).putInt(h.facDim()).putInt(h.nOut()).putInt(h.decodedDim()).putInt(h.tEnc());
    b.putLong(h.binWidthNanos()).putLong(h.startEpochNanos());
    putString(b, h.sourceId());
    putString(b, h.model());
    putString(b, h.backend());
    CRC32 c = new CRC32();
    c.update(b.array(), 0, b.position());
    b.putInt((int) c.getValue());
    b.flip();
    try {
      while (b.hasRemaining()) channel.write(b);
    } catch (IOException e) {
      fail(e);
    }
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    int n = Math.min(bytes.length, 1000);
    b.putShort((short) n).put(bytes, 0, n);
  }

  // ------------------------------------------------------------------ hot path

  /** Records one source event: a bin (with its counts) or a marker without a bin ({@code n == 0}). */
  public void bin(int eventFlags, int[] counts, int n, long binIndex, long tSource) {
    if (eventFlags >= 0 && (eventFlags & 1) != 0) binsIn++;
    synchronized (lock) {
      ByteBuffer b = begin(RecordingFormat.binRecordBytes(n));
      if (b == null) return;
      int start = open(b, RecordingFormat.BIN);
      b.putLong(binIndex).putLong(tSource).putShort((short) eventFlags).putShort((short) n);
      for (int i = 0; i < n; i++) b.putInt(counts[i]);
      seal(b, start);
    }
  }

  @Override
  public void publish(BinResult r) {
    published++;
    int nf = r.factors.length, nr = r.rates.length, nd = r.decoded.length;
    synchronized (lock) {
      ByteBuffer b = begin(RecordingFormat.resultRecordBytes(nf + nr + nd));
      if (b == null) return;
      int start = open(b, RecordingFormat.RESULT);
      b.putLong(r.seq).putLong(r.binIndex).putLong(r.tSource).putLong(r.tAccept).putLong(r.tBackendStart)
          .putLong(r.tBackendDone);
      b.putShort((short) r.flags).putShort((short) nf).putShort((short) nr).putShort((short) nd);
      for (int i = 0; i < nf; i++) b.putFloat(r.factors[i]);
      for (int i = 0; i < nr; i++) b.putFloat(r.rates[i]);
      for (int i = 0; i < nd; i++) b.putFloat(r.decoded[i]);
      seal(b, start);
    }
  }

  /** Records an operator-visible event (failover, ...). Any thread. */
  public void note(int code, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(text.length, 1000);
    synchronized (lock) {
      ByteBuffer b = begin(RecordingFormat.RECORD_OVERHEAD + 4 + n);
      if (b == null) return;
      int start = open(b, RecordingFormat.NOTE);
      b.putShort((short) code).putShort((short) n).put(text, 0, n);
      seal(b, start);
    }
  }

  /** Room for a record of {@code size} bytes (plus a GAP record when records were lost), or null: lost. Under lock. */
  private ByteBuffer begin(int size) {
    if (failure != null || closed) {
      lostTotal++;
      return null;
    }
    int need = size + (lostSinceGap > 0 ? RecordingFormat.RECORD_OVERHEAD + 8 : 0);
    if (fill.remaining() < need) {
      if (spare == null) { // writer still busy with the other buffer: drop, never wait
        lostSinceGap++;
        lostTotal++;
        return null;
      }
      pending = fill;
      fill = spare;
      spare = null;
      lock.notifyAll();
    }
    if (lostSinceGap > 0) {
      int start = open(fill, RecordingFormat.GAP);
      fill.putLong(lostSinceGap);
      seal(fill, start);
      lostSinceGap = 0;
    }
    return fill;
  }

  private static int open(ByteBuffer b, int type) {
    int start = b.position();
    b.putInt(0).put((byte) type).put((byte) 0).putShort((short) 0);
    return start;
  }

  private void seal(ByteBuffer b, int start) {
    int end = b.position();
    int length = end - start - 4;
    b.putInt(start, length);
    crc.reset();
    b.limit(end).position(start + 4); // no duplicate(): the hot path allocates nothing
    crc.update(b);
    b.limit(b.capacity());
    b.putInt((int) crc.getValue());
    records++;
  }

  // ------------------------------------------------------------------ writer thread

  private void writeLoop() {
    long lastFlush = System.nanoTime();
    while (true) {
      ByteBuffer out;
      synchronized (lock) {
        long waitNanos = flushNanos - (System.nanoTime() - lastFlush);
        while (pending == null && !closing && waitNanos > 0) {
          try {
            lock.wait(Math.max(1, waitNanos / 1_000_000));
          } catch (InterruptedException e) {
            closing = true;
          }
          waitNanos = flushNanos - (System.nanoTime() - lastFlush);
        }
        if (pending == null && fill.position() > 0 && spare != null) { // flush interval: take the partial buffer
          pending = fill;
          fill = spare;
          spare = null;
        }
        out = pending;
        if (out == null && closing) return;
      }
      if (out != null) {
        out.flip();
        try {
          if (failure == null) {
            while (out.hasRemaining()) bytesWritten += channel.write(out);
            if (channel instanceof FileChannel fc && partial != null) fc.force(false);
          }
        } catch (IOException e) {
          fail(e);
        }
        out.clear();
        synchronized (lock) {
          pending = null;
          spare = out;
          lock.notifyAll();
        }
      }
      lastFlush = System.nanoTime();
    }
  }

  private void fail(IOException e) {
    if (failure != null) return;
    failure = e;
    String where = partial != null ? partial.toString() : "the recording channel";
    operator.accept("recording stopped: writing " + where + " failed (" + e.getMessage()
        + "); the run continues without recording, later records are counted as lost");
  }

  // ------------------------------------------------------------------ status and close

  public long records() { return records; }
  public long lostRecords() { return lostTotal; }
  public long bytesWritten() { return bytesWritten; }
  /** The I/O error that stopped recording, or null. */
  public IOException failure() { return failure; }
  /** Where the finished recording is (or would be), null for channel recordings. */
  public Path target() { return target; }
  public Path partialPath() { return partial; }

  /**
   * Writes the END record with the run's totals, flushes, fsyncs and renames {@code FILE.part} to
   * {@code FILE}. Called from the thread that stopped the hot path (the hot path must be stopped).
   *
   * @return true when the recording is complete on disk
   */
  public boolean close(long pipelineBinsIn, long pipelinePublished, long pipelineDropped) {
    synchronized (lock) {
      if (closed) return failure == null;
      // the hot path has stopped: closing may wait for the writer, so the END record always finds room
      long until = System.nanoTime() + 30_000_000_000L;
      while (spare == null && failure == null && writer.isAlive() && System.nanoTime() < until) {
        try {
          lock.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      ByteBuffer b = begin(RecordingFormat.RECORD_OVERHEAD + 32 + RecordingFormat.RECORD_OVERHEAD + 8);
      if (b != null) {
        int start = open(b, RecordingFormat.END);
        b.putLong(pipelineBinsIn).putLong(pipelinePublished).putLong(pipelineDropped).putLong(lostTotal);
        seal(b, start);
      }
      closed = true;
      closing = true;
      lock.notifyAll();
    }
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The writer took the pending buffer, if any; write what is left in fill.
    synchronized (lock) {
      for (ByteBuffer left : new ByteBuffer[] {pending, fill}) {
        if (left == null || left.position() == 0) continue;
        left.flip();
        try {
          if (failure == null) while (left.hasRemaining()) bytesWritten += channel.write(left);
        } catch (IOException e) {
          fail(e);
        }
        left.clear();
      }
    }
    try {
      if (failure == null && channel instanceof FileChannel fc && partial != null) fc.force(true);
    } catch (IOException e) {
      fail(e);
    }
    try {
      channel.close();
    } catch (IOException e) {
      fail(e);
    }
    if (failure == null && partial != null) {
      try {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        fail(e);
      }
    }
    return failure == null;
  }

  /** Closes with the totals this recorder counted itself. */
  @Override
  public void close() {
    close(binsIn, published, binsIn - published);
  }
}

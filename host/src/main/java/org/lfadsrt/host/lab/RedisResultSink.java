package org.lfadsrt.host.lab;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.ResultSink;

/**
 * XADDs each result to the BRAND output stream, asynchronously on a connection of its own, with BRAND's
 * conventions: {@code samples} float32 little-endian (the chosen outputs in order), {@code i} uint64 (this
 * node's output counter), {@code ts} uint64 monotonic ns at the XADD, {@code sync} the input entry's JSON with
 * {@code "<sync_key>": i} added. The fields live in a ring of {@code max_pending} slots reused once their XADD is
 * acknowledged; when the slot is still in flight (Redis slower than the bins) the result is dropped and counted,
 * the hot path never waits.
 */
final class RedisResultSink implements ResultSink {
  private final RedisAsyncCommands<String, byte[]> redis;
  private final String stream;
  private final RedisStreamSource source;
  private final byte[] syncKey;
  private final boolean factorsFirst;
  private final boolean factors;
  private final boolean rates;
  private final Slot[] slots;
  private long written;
  private volatile long dropped;
  private volatile long failed;

  private static final class Slot {
    final Map<String, byte[]> body = new LinkedHashMap<>();
    final byte[] samples;
    final byte[] i = new byte[8];
    final byte[] ts = new byte[8];
    final ByteBuffer samplesView;
    RedisFuture<String> pending;

    Slot(int values) {
      samples = new byte[4 * values];
      samplesView = ByteBuffer.wrap(samples).order(ByteOrder.LITTLE_ENDIAN);
      body.put("samples", samples);
      body.put("i", i);
      body.put("ts", ts);
      body.put("sync", null);
    }
  }

  RedisResultSink(RedisAsyncCommands<String, byte[]> redis, BrandParameters p, RedisStreamSource source, int facDim, int nOut) {
    this.redis = redis;
    this.stream = p.outputStream();
    this.source = source;
    this.syncKey = ("\"" + p.syncKey().replace("\\", "\\\\").replace("\"", "\\\"") + "\": ").getBytes(StandardCharsets.UTF_8);
    this.factors = p.outputs().contains("factors");
    this.rates = p.outputs().contains("rates");
    this.factorsFirst = !rates || !factors || p.outputs().indexOf("factors") < p.outputs().indexOf("rates");
    int values = (factors ? facDim : 0) + (rates ? nOut : 0);
    this.slots = new Slot[p.maxPending()];
    for (int k = 0; k < slots.length; k++) slots[k] = new Slot(values);
  }

  @Override
  public void publish(BinResult r) {
    Slot s = slots[(int) (written % slots.length)];
    if (s.pending != null && !s.pending.isDone()) {
      dropped++;
      return;
    }
    if (s.pending != null && s.pending.toCompletableFuture().isCompletedExceptionally()) failed++;
    int off = 0;
    if (factorsFirst) {
      if (factors) off = put(s.samplesView, off, r.factors);
      if (rates) off = put(s.samplesView, off, r.rates);
    } else {
      off = put(s.samplesView, off, r.rates);
      put(s.samplesView, off, r.factors);
    }
    long i = written++;
    putLong(s.i, i);
    s.body.put("sync", sync(source == null ? null : source.syncOf(r.binIndex), i));
    putLong(s.ts, System.nanoTime());
    s.pending = redis.xadd(stream, s.body);
  }

  private static int put(ByteBuffer b, int off, float[] v) {
    for (float x : v) {
      b.putFloat(off, x);
      off += 4;
    }
    return off;
  }

  private static void putLong(byte[] b, long v) {
    for (int k = 0; k < 8; k++) b[k] = (byte) (v >>> (8 * k));
  }

  /** The input's sync object with {@code "key": i} added: {@code {"nsp_idx_1": 5}} becomes {@code {"nsp_idx_1": 5, "lfads": 0}}. */
  byte[] sync(byte[] in, long i) {
    byte[] n = Long.toString(i).getBytes(StandardCharsets.US_ASCII);
    int close = -1;
    boolean empty = true;
    if (in != null) {
      for (int k = in.length - 1; k >= 0; k--) {
        if (in[k] == '}') {
          close = k;
          break;
        }
      }
      for (int k = 0; k < close; k++) {
        byte c = in[k];
        if (c != '{' && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          empty = false;
          break;
        }
      }
    }
    if (close < 0) { // no input sync (or not an object): this node's counter alone
      byte[] out = new byte[2 + syncKey.length + n.length];
      out[0] = '{';
      System.arraycopy(syncKey, 0, out, 1, syncKey.length);
      System.arraycopy(n, 0, out, 1 + syncKey.length, n.length);
      out[out.length - 1] = '}';
      return out;
    }
    int sep = empty ? 0 : 2;
    byte[] out = new byte[close + sep + syncKey.length + n.length + 1];
    System.arraycopy(in, 0, out, 0, close);
    if (!empty) {
      out[close] = ',';
      out[close + 1] = ' ';
    }
    System.arraycopy(syncKey, 0, out, close + sep, syncKey.length);
    System.arraycopy(n, 0, out, close + sep + syncKey.length, n.length);
    out[out.length - 1] = '}';
    return out;
  }

  /** Waits up to {@code millis} for every XADD in flight (at shutdown). */
  void flush(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    for (Slot s : slots) {
      if (s.pending == null) continue;
      long left = deadline - System.nanoTime();
      if (left <= 0) return;
      try {
        s.pending.get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        failed++;
      }
    }
  }

  long written() { return written; }
  long dropped() { return dropped; }
  long failed() { return failed; }
}

package org.lfadsrt.host.lab;

import static org.junit.jupiter.api.Assertions.*;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.pipeline.BinResult;

/**
 * When Redis does not acknowledge (slow, stalled), the sink never waits: once {@code max_pending} XADDs are in
 * flight, results are dropped and counted; as soon as a slot's XADD completes, results flow again. Every XADD
 * carries the fields in BRAND's layout.
 */
class RedisResultSinkTest {

  @Test
  void aStalledRedisCostsCountedDropsNotWaits() {
    List<AsyncCommand<String, byte[], String>> issued = new ArrayList<>();
    List<Map<String, byte[]>> bodies = new ArrayList<>();
    // Redis that accepts XADDs and never answers until told to (a dynamic proxy: only xadd is called)
    @SuppressWarnings("unchecked")
    RedisAsyncCommands<String, byte[]> redis = (RedisAsyncCommands<String, byte[]>) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {RedisAsyncCommands.class}, (proxy, method, args) -> {
          if (!method.getName().equals("xadd") || args.length != 2 || !"out".equals(args[0])) {
            throw new UnsupportedOperationException(method.toString());
          }
          @SuppressWarnings("unchecked")
          Map<String, byte[]> body = (Map<String, byte[]>) args[1];
          Map<String, byte[]> copy = new java.util.HashMap<>();
          body.forEach((k, v) -> copy.put(k, v.clone())); // what is on the wire at this moment
          bodies.add(copy);
          AsyncCommand<String, byte[], String> c = new AsyncCommand<>(new Command<>(CommandType.XADD,
              new StatusOutput<>(io.lettuce.core.codec.RedisCodec.of(io.lettuce.core.codec.StringCodec.UTF8, ByteArrayCodec.INSTANCE))));
          issued.add(c);
          return c;
        });
    BrandParameters p = new BrandParameters("bundled", "float", "in", "crossings", "int16", 10, 1, "out",
        List.of("rates", "factors"), "lfads", 4);
    RedisResultSink sink = new RedisResultSink(redis, p, null, 2, 3); // no source: no input sync
    BinResult r = new BinResult(2, 3, 0);
    for (int k = 0; k < 10; k++) {
      r.binIndex = k;
      r.factors[0] = k;
      r.rates[2] = -k - 0.5f;
      sink.publish(r); // returns at once even though nothing is acknowledged
    }
    assertEquals(4, issued.size(), "max_pending XADDs in flight");
    assertEquals(6, sink.dropped());
    issued.get(0).complete("1-0"); // Redis catches up on the oldest slot
    r.factors[0] = 10;
    sink.publish(r);
    assertEquals(5, issued.size());
    assertEquals(6, sink.dropped());
    sink.publish(r); // the next slot is still in flight
    assertEquals(7, sink.dropped());

    Map<String, byte[]> first = bodies.get(0);
    assertEquals(java.util.Set.of("samples", "i", "ts", "sync"), first.keySet());
    ByteBuffer s = ByteBuffer.wrap(first.get("samples")).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(4 * 5, first.get("samples").length, "rates then factors, float32");
    assertEquals(-0.5f, s.getFloat(8), "rates[2] of the first result");
    assertEquals(0f, s.getFloat(12));
    ByteBuffer fifth = ByteBuffer.wrap(bodies.get(4).get("samples")).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(10f, fifth.getFloat(12), "the fifth XADD carries the result published after the catch-up");
    assertEquals(4, ByteBuffer.wrap(bodies.get(4).get("i")).order(ByteOrder.LITTLE_ENDIAN).getLong(), "i counts written entries");
    assertEquals("{\"lfads\": 4}", new String(bodies.get(4).get("sync")));
  }
}

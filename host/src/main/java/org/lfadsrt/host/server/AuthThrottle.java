package org.lfadsrt.host.server;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Back-off for failed tokens, per client address: the first {@link ServerLimits#authFreeFailures()} failures
 * cost nothing (a mistyped token); after that each failure blocks further tokens from that address for
 * {@link ServerLimits#authBackoffMillis()}, doubling per failure up to {@link ServerLimits#authBackoffMaxMillis()}.
 * While blocked, a HELLO carrying a token is refused without comparing it, so a guessing loop gets a handful of
 * guesses and then about one per maximum back-off. A correct token clears the address's record. Thread-safe;
 * the clock is injectable so tests count allowed attempts without sleeping.
 */
final class AuthThrottle {
  /** Addresses remembered at most (a flood of addresses forgets the oldest quiet ones, never blocks everyone). */
  static final int MAX_ADDRESSES = 4096;

  private static final class Entry {
    int failures;
    long blockedUntil;
    long lastFailure;
  }

  private final ServerLimits limits;
  private final LongSupplier clock;
  private final Map<String, Entry> byAddress = new HashMap<>();

  AuthThrottle(ServerLimits limits, LongSupplier clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Nanoseconds {@code address} must still wait before a token is checked again; 0 when it may try now. */
  synchronized long blockedFor(String address) {
    Entry e = byAddress.get(address);
    if (e == null) return 0;
    return Math.max(0, e.blockedUntil - clock.getAsLong());
  }

  /** Records a failed token from {@code address}; returns the back-off it now has (ns, 0 while failures are free). */
  synchronized long failed(String address) {
    long now = clock.getAsLong();
    Entry e = byAddress.get(address);
    if (e == null) {
      if (byAddress.size() >= MAX_ADDRESSES) evict(now);
      e = new Entry();
      byAddress.put(address, e);
    } else if (now - e.lastFailure > 2L * limits.authBackoffMaxMillis() * 1_000_000L && now >= e.blockedUntil) {
      e.failures = 0; // quiet for long enough: start over
    }
    e.failures++;
    e.lastFailure = now;
    int over = e.failures - limits.authFreeFailures();
    if (over <= 0) return 0;
    long backoff = (long) limits.authBackoffMillis() << Math.min(over - 1, 30);
    backoff = Math.min(backoff, limits.authBackoffMaxMillis()) * 1_000_000L;
    e.blockedUntil = now + backoff;
    return backoff;
  }

  /** A correct token from {@code address}: forgets its failures. */
  synchronized void succeeded(String address) {
    byAddress.remove(address);
  }

  private void evict(long now) {
    for (Iterator<Entry> it = byAddress.values().iterator(); it.hasNext(); ) {
      if (it.next().blockedUntil <= now) it.remove();
    }
    if (byAddress.size() >= MAX_ADDRESSES) byAddress.clear(); // every one blocked: a flood from many addresses
  }
}

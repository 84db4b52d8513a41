package org.lfadsrt.host.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an acquisition system's channel (or unit) names to the model's input channels 0..n-1: the names given in
 * order, or, when none are given, each new name to the next free channel in order of first appearance (then the
 * mapping depends on which channel spikes first: give the names for anything but a first try). Names beyond n
 * are counted as unmapped and their events ignored.
 */
final class ChannelMap {
  private final int channels;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private final boolean fixed;
  private long unmappedEvents;

  ChannelMap(int channels, List<String> given) {
    this.channels = channels;
    this.fixed = given != null && !given.isEmpty();
    if (fixed) {
      if (given.size() != channels) {
        throw new IllegalArgumentException("channels= lists " + given.size() + " names but the model has N_in = " + channels);
      }
      for (String n : given) {
        if (index.putIfAbsent(n, names.size()) != null) throw new IllegalArgumentException("channels= lists '" + n + "' twice");
        names.add(n);
      }
    }
  }

  /** The channel of {@code name}, or -1 when it has none (counted). */
  int channel(String name) {
    Integer c = index.get(name);
    if (c != null) return c;
    if (!fixed && names.size() < channels) {
      index.put(name, names.size());
      names.add(name);
      return names.size() - 1;
    }
    unmappedEvents++;
    return -1;
  }

  /** Channel names: the given ones, or ch0.. for channels not yet seen. */
  List<String> names() {
    List<String> out = new ArrayList<>(names);
    for (int i = out.size(); i < channels; i++) out.add("ch" + i);
    return out;
  }

  long unmappedEvents() { return unmappedEvents; }

  /** Parses a comma-separated list (null or empty: none). */
  static List<String> parse(String csv) {
    if (csv == null || csv.isBlank()) return List.of();
    List<String> out = new ArrayList<>();
    for (String s : csv.split(",")) out.add(s.trim());
    return out;
  }
}

package org.lfadsrt.host.source;

/** The {@code --units} / {@code units=} selection of NWB unit rows: "3,5,8" -> {3, 5, 8}; blank -> null (held-in units). */
public final class UnitSelection {
  private UnitSelection() {}

  public static int[] parse(String units) {
    if (units == null || units.isBlank()) return null;
    String[] parts = units.split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--units must be comma-separated unit rows, got '" + units + "'");
      }
    }
    return out;
  }
}

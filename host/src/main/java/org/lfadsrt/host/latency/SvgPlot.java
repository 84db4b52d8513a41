package org.lfadsrt.host.latency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line-plot writer producing standalone SVG: linear or log (base 10) axes, several named series,
 * a legend. Enough for latency histograms and latency-over-time plots without a plotting dependency.
 */
final class SvgPlot {
  private static final String[] COLORS = {
      "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  private static final int W = 760, H = 420, LEFT = 70, RIGHT = 170, TOP = 36, BOTTOM = 50;

  private record Series(String name, double[] x, double[] y, boolean dashed) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logX;
  private final boolean logY;
  private final List<Series> series = new ArrayList<>();

  SvgPlot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logX = logX;
    this.logY = logY;
  }

  SvgPlot add(String name, double[] x, double[] y) {
    return add(name, x, y, false);
  }

  SvgPlot add(String name, double[] x, double[] y, boolean dashed) {
    if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x but " + y.length + " y");
    series.add(new Series(name, x, y, dashed));
    return this;
  }

  private boolean usable(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  String render() {
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        if (!usable(s.x[i], logX) || !usable(s.y[i], logY)) continue;
        x0 = Math.min(x0, s.x[i]);
        x1 = Math.max(x1, s.x[i]);
        y0 = Math.min(y0, s.y[i]);
        y1 = Math.max(y1, s.y[i]);
      }
    }
    if (x0 > x1) { x0 = logX ? 1 : 0; x1 = logX ? 10 : 1; }
    if (y0 > y1) { y0 = logY ? 1 : 0; y1 = logY ? 10 : 1; }
    if (!logY) y0 = Math.min(0, y0);
    double[] xr = range(x0, x1, logX), yr = range(y0, y1, logY);
    StringBuilder sb = new StringBuilder(16_384);
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
        .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append("<text x=\"").append(W / 2).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">").append(esc(title)).append("</text>\n");
    int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
    // grid and ticks
    for (double t : ticks(xr, logX)) {
      double px = LEFT + pw * frac(t, xr, logX);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", px, TOP, px, TOP + ph));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", px, TOP + ph + 15, fmt(t)));
    }
    for (double t : ticks(yr, logY)) {
      double py = TOP + ph * (1 - frac(t, yr, logY));
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", LEFT, py, LEFT + pw, py));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 5, py + 4, fmt(t)));
    }
    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>\n", LEFT, TOP, pw, ph));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", LEFT + pw / 2, H - 12, esc(xLabel)));
    sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>\n",
        TOP + ph / 2, TOP + ph / 2, esc(yLabel)));
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String color = COLORS[k % COLORS.length];
      // A point that cannot be drawn (zero on a log axis: an empty histogram bucket) breaks the line.
      StringBuilder pts = new StringBuilder();
      int inSegment = 0;
      double lastX = 0, lastY = 0;
      for (int i = 0; i <= s.x.length; i++) {
        boolean ok = i < s.x.length && usable(s.x[i], logX) && usable(s.y[i], logY);
        if (ok) {
          lastX = LEFT + pw * frac(s.x[i], xr, logX);
          lastY = TOP + ph * (1 - frac(s.y[i], yr, logY));
          pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", lastX, lastY));
          inSegment++;
          continue;
        }
        if (inSegment == 1) {
          sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"/>%n", lastX, lastY, color));
        } else if (inSegment > 1) {
          sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\"")
              .append(s.dashed ? " stroke-dasharray=\"5,3\"" : "").append(" points=\"").append(pts).append("\"/>\n");
        }
        pts.setLength(0);
        inSegment = 0;
      }
      int ly = TOP + 10 + 16 * k;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
          W - RIGHT + 10, ly, W - RIGHT + 30, ly, color, s.dashed ? " stroke-dasharray=\"5,3\"" : ""));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>\n", W - RIGHT + 35, ly + 4, esc(s.name)));
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  void write(Path file) throws IOException {
    Files.writeString(file, render(), StandardCharsets.UTF_8);
  }

  private static double[] range(double lo, double hi, boolean log) {
    if (log) {
      double a = Math.pow(10, Math.floor(Math.log10(lo))), b = Math.pow(10, Math.ceil(Math.log10(hi)));
      if (a == b) b = a * 10;
      return new double[] {a, b};
    }
    if (lo == hi) return new double[] {lo - 1, hi + 1};
    double step = niceStep((hi - lo) / 6);
    return new double[] {Math.floor(lo / step) * step, Math.ceil(hi / step) * step};
  }

  private static double niceStep(double raw) {
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  }

  private static List<Double> ticks(double[] r, boolean log) {
    List<Double> out = new ArrayList<>();
    if (log) {
      for (double t = r[0]; t <= r[1] * 1.0001; t *= 10) out.add(t);
    } else {
      double step = niceStep((r[1] - r[0]) / 6);
      for (double t = r[0]; t <= r[1] + step * 1e-9; t += step) out.add(t);
    }
    return out;
  }

  private static double frac(double v, double[] r, boolean log) {
    if (log) return (Math.log10(v) - Math.log10(r[0])) / (Math.log10(r[1]) - Math.log10(r[0]));
    return (v - r[0]) / (r[1] - r[0]);
  }

  static String fmt(double v) {
    if (v == 0) return "0";
    double a = Math.abs(v);
    if (a >= 1e6 || a < 1e-3) {
      int exp = (int) Math.floor(Math.log10(a));
      double m = v / Math.pow(10, exp);
      return (Math.abs(m - 1) < 1e-9 ? "" : trim(String.format(Locale.ROOT, "%.2f", m)) + "\u00d7") + "1e" + exp;
    }
    if (a >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
    return trim(String.format(Locale.ROOT, "%.3f", v));
  }

  private static String trim(String s) {
    if (!s.contains(".")) return s;
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}

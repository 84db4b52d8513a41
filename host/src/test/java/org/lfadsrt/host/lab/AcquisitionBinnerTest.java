package org.lfadsrt.host.lab;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Hand-computed cases of binning on an acquisition sample clock. */
class AcquisitionBinnerTest {

  @Test
  void eventsLandInTheirOwnBinEvenWhenAnEarlierBinIsOpen() {
    AcquisitionBinner b = new AcquisitionBinner(2, 100);
    b.advance(1000);            // anchors bin 0 = [1000, 1100)
    b.add(0, 1050);
    b.add(1, 1150);             // bin 1, while bin 0 is open
    assertFalse(b.ready());
    b.advance(1200);            // bins 0 and 1 complete
    b.add(0, 1199);             // still bin 1: not yet emitted
    int[] c = new int[2];
    assertTrue(b.ready());
    b.emit(c);
    assertArrayEquals(new int[] {1, 0}, c);
    assertEquals(0, b.index());
    b.emit(c);
    assertArrayEquals(new int[] {1, 1}, c);
    assertEquals(1, b.index());
    assertFalse(b.ready());
    b.add(1, 1100);             // older than the open bin 2: counted there, as late
    assertEquals(1, b.lateEvents());
    b.advance(1300);
    b.emit(c);
    assertArrayEquals(new int[] {0, 1}, c);
  }

  @Test
  void emptyBinsAreEmittedAndAClockJumpShowsAsAGap() {
    AcquisitionBinner b = new AcquisitionBinner(1, 10);
    b.advance(0);
    b.add(0, 5);
    b.advance(35);              // bins 0, 1, 2 complete
    int[] c = new int[1];
    int[] want = {1, 0, 0};
    for (int k = 0; k < 3; k++) {
      b.emit(c);
      assertEquals(want[k], c[0]);
      assertEquals(k, b.index());
    }
    assertFalse(b.ready());
    long far = 35 + 10 * (AcquisitionBinner.MAX_EMPTY_BINS + 500);
    b.add(0, far);              // a jump: re-anchored at far, no flood of empty bins
    assertEquals(1, b.reanchors());
    b.advance(far + 10);
    b.emit(c);
    assertEquals(1, c[0]);
    assertEquals(3 + AcquisitionBinner.MAX_EMPTY_BINS + 500, b.index(), "the index jumps by the bins skipped");
    assertFalse(b.ready());
  }

  @Test
  void aNewConnectionContinuesTheIndex() {
    AcquisitionBinner b = new AcquisitionBinner(1, 10);
    b.advance(100);
    b.add(0, 101);
    b.advance(110);
    int[] c = new int[1];
    b.emit(c);
    assertEquals(0, b.index());
    b.add(0, 112);
    b.reset();                  // counts of the open bin are forgotten with the connection
    b.advance(7);               // the new stream's clock starts anywhere
    b.add(0, 8);
    b.advance(17);
    b.emit(c);
    assertEquals(1, b.index());
    assertEquals(1, c[0]);
  }
}

package org.lfadsrt.host.record;

/** What a recording holds: the stream and model shape, and where it came from. */
public record RecordingHeader(int nIn, int facDim, int nOut, int decodedDim, int tEnc, long binWidthNanos,
    long startEpochNanos, String sourceId, String model, String backend) {}

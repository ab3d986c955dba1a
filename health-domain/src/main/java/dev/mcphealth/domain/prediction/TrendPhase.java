package dev.mcphealth.domain.prediction;

/** Where a {@link TrendPredictor} is in an approach episode. */
enum TrendPhase {
    /** Nothing raised; counting consecutive samples that forecast a crossing. */
    WATCHING,
    /** Raised for this approach; waiting for the forecast to stay clear for one long window. */
    RAISED,
    /** The level reached the threshold; waiting for it to come back down to the re-arm level. */
    ABOVE
}

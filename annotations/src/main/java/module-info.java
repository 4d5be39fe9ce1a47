/** Sluice's handler annotations; no dependencies. */
module io.sluice.annotations {
    exports io.sluice.annotations;
}

"""Charts (Vega-Lite through Altair) and drawings on photos."""

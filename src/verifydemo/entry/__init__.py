"""Entry points, on top of everything: the ``verifydemo`` command, the classroom launcher, the
app both launchers serve, and the benchmark with the real servers and browser it drives."""

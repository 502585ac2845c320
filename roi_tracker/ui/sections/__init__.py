"""The parts of one page each: the renderers only that page uses."""

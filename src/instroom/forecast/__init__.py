"""The ten-year simulation of demand and supply; a pure-Python core."""

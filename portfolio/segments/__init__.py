"""Splitting the portfolio into segments: the four schemes and the finalized split
(``schemes``), why a customer is in its segment, in words (``reasons``), and who moved
between segments from one period or version to another (``migration``)."""

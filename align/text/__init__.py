"""Text utilities shared by every stage: segmentation, dates, normalisation."""

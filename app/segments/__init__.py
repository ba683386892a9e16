"""The four segmentation schemes of the segments page, one module each."""

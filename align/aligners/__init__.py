"""Sentence alignment inside a turn pair (or a whole document), and its evaluation."""

from align.aligners.sentences import (
    AlignerSettings,
    SentenceAlignment,
    align_sentences,
    document_null,
)

__all__ = ["AlignerSettings", "SentenceAlignment", "align_sentences", "document_null"]

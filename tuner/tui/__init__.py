"""The Textual app of speech-tuner; imported only by the `edit` command."""

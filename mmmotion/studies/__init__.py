"""The paper's studies as one-command experiments (issue 13); each module is one study, ``common`` what they share."""

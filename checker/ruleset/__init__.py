"""Stage 3, the rule set: rule files and regulations read, checked and linked into the register
and the rules an audit runs, bundled or from third-party packs."""

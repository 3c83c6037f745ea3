"""Stage 2, the condition language of rules: its operators, the syntax tree, parsing and type
checking against the hall format, three-valued evaluation, and compilation to what the engines
run. Reads the hall format from the input stage; knows nothing of rule files."""

/**
 * Constrained decoding: a JSON schema compiled to a grammar ({@link r1j.grammar.Grammar}), an incremental matcher
 * over the bytes of the output ({@link r1j.grammar.JsonMatcher}), and the per-step token mask it induces over a
 * vocabulary ({@link r1j.grammar.TokenMasker}, a byte trie of every token walked against the matcher so that tokens
 * sharing a prefix are checked once).
 *
 * <p>The grammar accepts compact JSON (no whitespace between tokens) that validates against the schema; see
 * {@link r1j.grammar.SchemaCompiler} for the keywords it understands and the bounds it puts on unbounded numbers.
 *
 * <p>Depends on the JDK and Jackson's tree model (the schema arrives as a {@code JsonNode}).
 */
package r1j.grammar;

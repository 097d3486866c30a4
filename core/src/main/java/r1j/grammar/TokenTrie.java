package r1j.grammar;

import java.util.Arrays;
import java.util.List;
import r1j.grammar.Frame.Stack;

/**
 * The byte strings of a set of tokens as a trie in flat arrays, so a walk against a {@link JsonMatcher} state checks
 * each shared prefix once: the walk leaves a subtree as soon as the grammar rejects its first byte.
 *
 * <p>Built from the tokens sorted by their bytes (unsigned): every node's tokens and subtree are then a contiguous
 * range of that order, and node {@code n}'s children are the edges {@code [edgeFirst[n], edgeFirst[n] + edgeCount[n])}.
 */
final class TokenTrie {

    private final int[] sortedIds;   // [tokens] ids in byte order
    private int[] edgeFirst = new int[1024];  // [nodes]
    private int[] edgeCount = new int[1024];  // [nodes]
    private int[] tokenFirst = new int[1024]; // [nodes] into sortedIds
    private int[] tokenCount = new int[1024]; // [nodes] tokens whose bytes end at this node
    private byte[] edgeByte = new byte[1024]; // [edges]
    private int[] edgeChild = new int[1024];  // [edges]
    private int nodes;
    private int edges;

    /** A trie of {@code ids}, whose bytes are {@code bytes[id]} (non-empty). */
    TokenTrie(int[] ids, byte[][] bytes) {
        Integer[] boxed = Arrays.stream(ids).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> Arrays.compareUnsigned(bytes[a], bytes[b]));
        sortedIds = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        int root = newNode();
        build(root, 0, sortedIds.length, 0, bytes);
    }

    int nodes() {
        return nodes;
    }

    int tokens() {
        return sortedIds.length;
    }

    /** Sets in {@code allowed} the bit of every token of this trie that {@code stacks} accept, byte by byte. */
    void walk(List<Stack> stacks, long[] allowed) {
        walk(0, stacks, allowed);
    }

    private void walk(int node, List<Stack> stacks, long[] allowed) {
        for (int e = edgeFirst[node], end = e + edgeCount[node]; e < end; e++) {
            List<Stack> next = JsonMatcher.step(stacks, edgeByte[e] & 0xFF);
            if (next.isEmpty()) {
                continue;
            }
            int child = edgeChild[e];
            for (int t = tokenFirst[child], tEnd = t + tokenCount[child]; t < tEnd; t++) {
                int id = sortedIds[t];
                allowed[id >>> 6] |= 1L << id;
            }
            if (edgeCount[child] > 0) {
                walk(child, next, allowed);
            }
        }
    }

    /** Fills {@code node} with the tokens {@code sortedIds[lo, hi)}, which share their first {@code depth} bytes. */
    private void build(int node, int lo, int hi, int depth, byte[][] bytes) {
        int t = lo;
        while (t < hi && bytes[sortedIds[t]].length == depth) {
            t++;
        }
        tokenFirst[node] = lo;
        tokenCount[node] = t - lo;
        // Count the children (runs of the same byte at depth) and reserve their edges contiguously.
        int children = 0;
        for (int i = t; i < hi; ) {
            byte b = bytes[sortedIds[i]][depth];
            while (i < hi && bytes[sortedIds[i]][depth] == b) {
                i++;
            }
            children++;
        }
        int first = edges;
        ensureEdges(edges + children);
        edges += children;
        edgeFirst[node] = first;
        edgeCount[node] = children;
        int e = first;
        for (int i = t; i < hi; e++) {
            byte b = bytes[sortedIds[i]][depth];
            int j = i;
            while (j < hi && bytes[sortedIds[j]][depth] == b) {
                j++;
            }
            int child = newNode();
            edgeByte[e] = b;
            edgeChild[e] = child;
            build(child, i, j, depth + 1, bytes);
            i = j;
        }
    }

    private int newNode() {
        if (nodes == edgeFirst.length) {
            int n = nodes * 2;
            edgeFirst = Arrays.copyOf(edgeFirst, n);
            edgeCount = Arrays.copyOf(edgeCount, n);
            tokenFirst = Arrays.copyOf(tokenFirst, n);
            tokenCount = Arrays.copyOf(tokenCount, n);
        }
        return nodes++;
    }

    private void ensureEdges(int n) {
        if (n > edgeByte.length) {
            int size = Math.max(n, edgeByte.length * 2);
            edgeByte = Arrays.copyOf(edgeByte, size);
            edgeChild = Arrays.copyOf(edgeChild, size);
        }
    }
}

package io.headcount.agent.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every occurrence of many literal strings in one pass over a text (Aho-Corasick).
 * Case-sensitive. Immutable once built, so any thread may scan with it.
 *
 * <p>A scan costs time linear in the text plus the matches reported, however many literals
 * there are and whatever the text holds: no backtracking, no input that makes it slow.
 */
final class LiteralMatcher {
    /** Told of each match; returns true to stop the scan. */
    interface Listener {
        boolean found(int literal, int start, int end);
    }

    // Per state: its edges are edgeChars/edgeTargets[edgeStart[s] .. edgeStart[s+1]), sorted by char.
    private final int[] edgeStart;
    private final char[] edgeChars;
    private final int[] edgeTargets;
    private final int[] fail;
    /** The nearest state on the fail chain (this one excluded) that ends a literal, or -1. */
    private final int[] outputLink;
    /** The literals ending at each state: outputs[outputStart[s] .. outputStart[s+1]). */
    private final int[] outputStart;
    private final int[] outputs;
    private final int[] literalLengths;
    /**
     * The root's edges for ASCII characters, 0 where there is none: in a text that matches little,
     * nearly every character is looked up at the root, whose edges are the literals' first
     * characters, dozens of them; a binary search there was most of a scan's time.
     */
    private final int[] rootNext = new int[128];

    /** @param literals indexed by their position in the list; empty ones never match */
    LiteralMatcher(List<String> literals) {
        List<Map<Character, Integer>> children = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        children.add(new HashMap<>());
        ends.add(new ArrayList<>());
        literalLengths = new int[literals.size()];
        for (int id = 0; id < literals.size(); id++) {
            String literal = literals.get(id);
            literalLengths[id] = literal.length();
            if (literal.isEmpty()) {
                continue;
            }
            int state = 0;
            for (int i = 0; i < literal.length(); i++) {
                Integer next = children.get(state).get(literal.charAt(i));
                if (next == null) {
                    next = children.size();
                    children.add(new HashMap<>());
                    ends.add(new ArrayList<>());
                    children.get(state).put(literal.charAt(i), next);
                }
                state = next;
            }
            ends.get(state).add(id);
        }
        int states = children.size();
        edgeStart = new int[states + 1];
        int edgeCount = 0;
        for (int s = 0; s < states; s++) {
            edgeStart[s] = edgeCount;
            edgeCount += children.get(s).size();
        }
        edgeStart[states] = edgeCount;
        edgeChars = new char[edgeCount];
        edgeTargets = new int[edgeCount];
        for (int s = 0; s < states; s++) {
            Character[] keys = children.get(s).keySet().toArray(new Character[0]);
            Arrays.sort(keys);
            for (int k = 0; k < keys.length; k++) {
                edgeChars[edgeStart[s] + k] = keys[k];
                edgeTargets[edgeStart[s] + k] = children.get(s).get(keys[k]);
            }
        }
        outputStart = new int[states + 1];
        int outputCount = 0;
        for (int s = 0; s < states; s++) {
            outputStart[s] = outputCount;
            outputCount += ends.get(s).size();
        }
        outputStart[states] = outputCount;
        outputs = new int[outputCount];
        for (int s = 0; s < states; s++) {
            for (int k = 0; k < ends.get(s).size(); k++) {
                outputs[outputStart[s] + k] = ends.get(s).get(k);
            }
        }
        for (char c = 0; c < rootNext.length; c++) {
            rootNext[c] = Math.max(next(0, c), 0);
        }
        // Breadth first, so that a state's fail target is always done before the state.
        fail = new int[states];
        outputLink = new int[states];
        Arrays.fill(outputLink, -1);
        int[] queue = new int[states];
        int head = 0;
        int tail = 0;
        for (int e = edgeStart[0]; e < edgeStart[1]; e++) {
            queue[tail++] = edgeTargets[e];
        }
        while (head < tail) {
            int s = queue[head++];
            for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
                char c = edgeChars[e];
                int child = edgeTargets[e];
                int f = fail[s];
                int target = next(f, c);
                while (target < 0 && f != 0) {
                    f = fail[f];
                    target = next(f, c);
                }
                fail[child] = target < 0 ? 0 : target;
                int via = fail[child];
                outputLink[child] = outputStart[via] < outputStart[via + 1] ? via : outputLink[via];
                queue[tail++] = child;
            }
        }
    }

    /**
     * Reports each occurrence, in order of where it ends, until the listener says stop.
     *
     * @return true when the listener stopped the scan
     */
    boolean scan(CharSequence text, Listener listener) {
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            state = step(state, text.charAt(i));
            for (int s = state; s >= 0; s = outputLink[s]) {
                for (int k = outputStart[s]; k < outputStart[s + 1]; k++) {
                    int literal = outputs[k];
                    if (listener.found(literal, i + 1 - literalLengths[literal], i + 1)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The state after this character: this state's edge for it, else its fail chain's, else the root. */
    private int step(int state, char c) {
        while (state != 0) {
            int target = next(state, c);
            if (target >= 0) {
                return target;
            }
            state = fail[state];
        }
        return c < rootNext.length ? rootNext[c] : Math.max(next(0, c), 0);
    }

    private int next(int state, char c) {
        int low = edgeStart[state];
        int high = edgeStart[state + 1] - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            char m = edgeChars[mid];
            if (m < c) {
                low = mid + 1;
            } else if (m > c) {
                high = mid - 1;
            } else {
                return edgeTargets[mid];
            }
        }
        return -1;
    }
}

package r1j.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DeepSeekMoE routing written straight from the papers' formulas with sorting, as an independent reference for
 * {@link ExpertRouter}: DeepSeek-V2 (arXiv:2405.04434) eq. 20-23 with group-limited greedy selection, DeepSeek-V3
 * (arXiv:2412.19437) eq. 12-16 with the bias-corrected selection and node-limited routing (a group's score is the
 * sum of its two highest affinities + bias, as in the released {@code noaux_tc} code).
 */
final class PaperRouting {

    /** The chosen experts (best first) and their weights. */
    record Choice(int[] experts, double[] weights) {}

    private PaperRouting() {}

    static Choice route(double[] u, double[] bias, int k, boolean sigmoid, boolean norm, double scale, int groups, int groupsUsed) {
        int n = u.length;
        double[] s = new double[n];
        if (sigmoid) {
            for (int i = 0; i < n; i++) s[i] = 1 / (1 + Math.exp(-u[i]));
        } else {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (double v : u) max = Math.max(max, v);
            for (int i = 0; i < n; i++) sum += s[i] = Math.exp(u[i] - max);
            for (int i = 0; i < n; i++) s[i] /= sum;
        }
        double[] sel = new double[n];
        for (int i = 0; i < n; i++) sel[i] = s[i] + (bias == null ? 0 : bias[i]);
        int size = n / groups;
        List<Integer> keptGroups = new ArrayList<>();
        for (int g = 0; g < groups; g++) keptGroups.add(g);
        if (groupsUsed < groups) {
            double[] score = new double[groups];
            for (int g = 0; g < groups; g++) {
                List<Double> members = new ArrayList<>();
                for (int i = g * size; i < (g + 1) * size; i++) members.add(sel[i]);
                members.sort(Comparator.reverseOrder());
                score[g] = sigmoid && size > 1 ? members.get(0) + members.get(1) : members.get(0);
            }
            keptGroups.sort(Comparator.comparingDouble((Integer g) -> -score[g]).thenComparingInt(g -> g));
            keptGroups = keptGroups.subList(0, groupsUsed);
        }
        List<Integer> eligible = new ArrayList<>();
        for (int g : keptGroups) for (int i = g * size; i < (g + 1) * size; i++) eligible.add(i);
        eligible.sort(Comparator.comparingDouble((Integer i) -> -sel[i]).thenComparingInt(i -> i));
        int[] experts = new int[k];
        double[] w = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            experts[j] = eligible.get(j);
            w[j] = s[experts[j]];
            sum += w[j];
        }
        for (int j = 0; j < k; j++) w[j] = (norm ? w[j] / sum : w[j]) * scale;
        return new Choice(experts, w);
    }
}

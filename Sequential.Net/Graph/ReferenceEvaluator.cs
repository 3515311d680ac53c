namespace SequentialNet.Graph;

/// <summary>
/// Evaluates a graph in float64 from each op's reference formula: the ground truth for gradient checks
/// (central differences against autodiff) and for backend parity tests.
/// </summary>
internal sealed class ReferenceEvaluator(IReadOnlyList<Node> nodes, ReferenceContext context)
{
    /// <summary>Values of every node reachable before <paramref name="upTo"/> (inclusive), given placeholder feeds.</summary>
    public Dictionary<Node, double[]> Run(IReadOnlyDictionary<Node, double[]> feeds, int batch, Node? upTo = null)
    {
        var values = new Dictionary<Node, double[]>();
        foreach (Node node in nodes)
        {
            if (upTo != null && node.Id > upTo.Id) break;
            if (feeds.TryGetValue(node, out var fed)) { values[node] = fed; continue; }
            if (node.Op.HasSideEffects) continue;
            var inputs = new double[node.Inputs.Length][];
            bool ready = true;
            for (int i = 0; i < inputs.Length; i++)
                ready &= values.TryGetValue(node.Inputs[i], out inputs[i]!);
            if (!ready) continue;
            var output = new double[node.Size(batch)];
            node.Op.Reference(context, inputs, output, node, batch);
            values[node] = output;
        }
        return values;
    }
}

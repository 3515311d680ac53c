using SequentialNet.Graph.Ops;

namespace SequentialNet.Graph;

/// <summary>
/// Reverse-mode differentiation on the static graph: walks the nodes from the loss back to the inputs,
/// asks each op for its gradient (emitted as more graph ops) and sums gradients that meet.
/// </summary>
internal static class Autodiff
{
    /// <summary>∂loss/∂w for each node of <paramref name="wrt"/> (null where the loss does not depend on it).</summary>
    public static Node?[] Gradients(GraphBuilder g, Node loss, IReadOnlyList<Node> wrt)
    {
        if (loss.Size(1) != 1 || loss.Batched)
            throw new InvalidOperationException($"Autodiff: expected a scalar loss. Received: {loss}.");
        var grads = new Dictionary<Node, Node> { [loss] = g.Add(new ConstantOp(1f), [], [], batched: false, "dloss") };
        var forward = g.Nodes.Take(loss.Id + 1).ToArray();   // backward ops append after; never revisit them
        for (int i = forward.Length - 1; i >= 0; i--)
        {
            Node node = forward[i];
            if (!grads.TryGetValue(node, out Node? dy) || node.Inputs.Length == 0) continue;
            Node?[] inputGrads = node.Op.Backward(g, node, dy);
            for (int k = 0; k < inputGrads.Length; k++)
            {
                Node input = node.Inputs[k];
                if (inputGrads[k] is not Node d || !input.RequiresGrad) continue;
                grads[input] = grads.TryGetValue(input, out Node? sum) ? g.AddN(sum, d) : d;
            }
        }
        return wrt.Select(w => grads.GetValueOrDefault(w)).ToArray();
    }
}

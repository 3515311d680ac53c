using SequentialNet.Graph;
using SequentialNet.Layers;

namespace SequentialNet;

/// <summary>
/// The call graph of a model, walked once from its outputs back to its inputs: the call nodes in an order
/// where each comes after the nodes it reads (depth-first, inputs in order, so a chain keeps its order),
/// and the layers each listed once. Checks what Keras checks: every output reachable from the inputs
/// alone, every input used, unique layer names.
/// </summary>
internal sealed class FunctionalGraph
{
    private FunctionalGraph(Input[] inputs, KerasTensor[] outputs, CallNode[] nodes, Layer[] layers, string[] outputNames)
    {
        Inputs = inputs; Outputs = outputs; Nodes = nodes; Layers = layers; OutputNames = outputNames;
    }

    public Input[] Inputs { get; }
    public KerasTensor[] Outputs { get; }
    /// <summary>The call nodes, each after the nodes whose outputs it reads.</summary>
    public CallNode[] Nodes { get; }
    /// <summary>The input layers, then every other layer once, in the order of its first call.</summary>
    public Layer[] Layers { get; }
    public string[] OutputNames { get; }

    /// <summary>Walks the graph; <paramref name="outputNames"/> null names outputs after their layers.</summary>
    public static FunctionalGraph Build(string model, KerasTensor[] inputs, KerasTensor[] outputs, string[]? outputNames)
    {
        var ins = CheckInputs(model, inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Length == 0) throw new ArgumentException($"Model \"{model}\": expected at least one output tensor. Received: none.", nameof(outputs));
        for (int i = 0; i < outputs.Length; i++)
            if (outputs[i] is null) throw new ArgumentNullException(nameof(outputs), $"Model \"{model}\": output {i} is null.");
        var nodes = Walk(model, ins, outputs, out var usedInputs);
        var unused = ins.Where(i => !usedInputs.Contains(i)).ToList();
        if (unused.Count > 0)
            throw new ArgumentException($"Model \"{model}\": input \"{unused[0].Name}\" is not connected to any output. Expected every input to be used. Received: inputs [{string.Join(", ", ins.Select(i => i.Name))}], outputs [{string.Join(", ", outputs.Select(o => o.Name))}].", nameof(inputs));
        var layers = new List<Layer>(ins.Select(i => (Layer)i.Layer));
        var seen = new HashSet<Layer>(layers);
        foreach (var node in nodes)
            if (seen.Add(node.Layer)) layers.Add(node.Layer);
        var duplicate = layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
            throw new ArgumentException($"Model \"{model}\": expected unique layer names. Received: {duplicate.Count()} layers named \"{duplicate.Key}\" ({string.Join(", ", duplicate.Select(l => l.GetType().Name))}). Name them with name: \"...\".");
        string[] names = outputNames ?? [.. outputs.Select(o => o.Producer?.Layer.Name ?? o.Name)];
        var repeated = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (repeated != null && outputNames == null)
            names = [.. outputs.Select((o, i) => names.Count(n => n == names[i]) > 1 ? $"{names[i]}_{i}" : names[i])];
        return new FunctionalGraph(ins, [.. outputs], nodes, [.. layers], names);
    }

    private static Input[] CheckInputs(string model, KerasTensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0) throw new ArgumentException($"Model \"{model}\": expected at least one Input. Received: none.", nameof(inputs));
        var result = new Input[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            result[i] = inputs[i] as Input ?? throw new ArgumentException(
                $"Model \"{model}\": expected inputs made with new Input(shape). Received: {(inputs[i] is null ? "null" : inputs[i].ToString())} at inputs[{i}], the output of a layer. Make a model from the Input the layers start at.", nameof(inputs));
            if (Array.IndexOf(result, result[i], 0, i) >= 0)
                throw new ArgumentException($"Model \"{model}\": input \"{result[i].Name}\" is listed twice.", nameof(inputs));
        }
        return result;
    }

    /// <summary>Depth-first from the outputs, without recursion (a model may hold tens of thousands of layers).</summary>
    private static CallNode[] Walk(string model, Input[] inputs, KerasTensor[] outputs, out HashSet<Input> usedInputs)
    {
        var allowed = new HashSet<Input>(inputs);
        usedInputs = [];
        var order = new List<CallNode>();
        var done = new HashSet<CallNode>();
        var stack = new Stack<(CallNode Node, int Next)>();
        foreach (var output in outputs)
        {
            if (Reach(model, output, allowed, usedInputs, done, stack, output)) continue;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < node.Inputs.Length)
                {
                    stack.Push((node, next + 1));
                    Reach(model, node.Inputs[next], allowed, usedInputs, done, stack, output);
                    continue;
                }
                if (done.Add(node)) order.Add(node);
            }
        }
        return [.. order];
    }

    /// <summary>Visits <paramref name="t"/>: true when nothing is left to walk (an input, or a node already placed).</summary>
    private static bool Reach(string model, KerasTensor t, HashSet<Input> allowed, HashSet<Input> used, HashSet<CallNode> done, Stack<(CallNode, int)> stack, KerasTensor output)
    {
        if (t.Producer is CallNode producer)
        {
            if (done.Contains(producer)) return true;     // (a DAG: a node being expanded is never reached again below itself)
            stack.Push((producer, 0));
            return false;
        }
        var input = (Input)t;
        if (!allowed.Contains(input))
            throw new ArgumentException($"Model \"{model}\": graph disconnected: output \"{output.Name}\" depends on input \"{input.Name}\" (shape (None, {string.Join(", ", input.ShapeWithoutBatch)})), which is not among the model's inputs [{string.Join(", ", allowed.Select(i => i.Name))}]. Pass it in inputs, or apply the layers to the model's own inputs.");
        used.Add(input);
        return true;
    }

    /// <summary>
    /// Emits every call's ops into <paramref name="ctx"/>'s graph on <paramref name="inputs"/> (one node per
    /// model input) and returns the output nodes. Each call takes the next random-stream index of the
    /// context, so a layer applied twice (a shared Dropout) draws independent masks, and a Sequential and the
    /// equivalent functional model draw the same ones.
    /// </summary>
    public Node[] Emit(LayerContext ctx, Node[] inputs)
    {
        var values = new Dictionary<KerasTensor, Node>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < Inputs.Length; i++) values[Inputs[i]] = inputs[i];
        foreach (var node in Nodes)
        {
            var args = new Node[node.Inputs.Length];
            for (int i = 0; i < args.Length; i++) args[i] = values[node.Inputs[i]];
            ctx.BeginCall();
            var outs = node.Layer.CallAll(ctx, args);
            for (int i = 0; i < outs.Length; i++) values[node.Outputs[i]] = outs[i];
        }
        return [.. Outputs.Select(o => values[o])];
    }
}

namespace SequentialNet;

// Checks on user data, done before any work so that nothing is lost to a bad argument.
public partial class Model
{
    /// <summary>Arrays in input order from a dictionary keyed by <see cref="InputNames"/> (or output order by <see cref="OutputNames"/>).</summary>
    private Tensor[] ByName(string who, IReadOnlyDictionary<string, Tensor> data, string argument, bool outputs)
    {
        ArgumentNullException.ThrowIfNull(data, argument);
        if (outputs) { RequireCompiled(who); if (!HasGraph) throw NotBuilt(who); }
        var names = outputs ? OutputNames : InputNames;
        foreach (string key in data.Keys)
            if (!names.Contains(key))
                throw new ArgumentException($"{who}: {argument} has the key \"{key}\", which names no {(outputs ? "output" : "input")} of model \"{Name}\". Expected keys: {string.Join(", ", names.Select(n => $"\"{n}\""))}.", argument);
        return [.. names.Select(n => data.TryGetValue(n, out var t) ? t
            : throw new ArgumentException($"{who}: {argument} has no array for {(outputs ? "output" : "input")} \"{n}\". Expected keys: {string.Join(", ", names.Select(k => $"\"{k}\""))}.", argument))];
    }

    private InvalidOperationException NotBuilt(string who)
        => new($"{who}: model \"{Name}\" is not built yet, so its outputs are unknown. Give its first layer an inputShape, or pass arrays instead of a dictionary.");

    /// <summary>Checks every input array (count, shapes, finite values) and returns their sample shapes.</summary>
    private int[][] CheckInputs(string who, Tensor[] xs, string argument = "x")
    {
        ArgumentNullException.ThrowIfNull(xs, argument);
        int expected = HasGraph ? Graph.Inputs.Length : 1;
        if (xs.Length != expected)
            throw new ArgumentException($"{who}: model \"{Name}\" expected {expected} input array{(expected == 1 ? "" : "s")} ({string.Join(", ", HasGraph ? InputNames : ["x"])}). Received: {xs.Length}.", argument);
        var shapes = new int[xs.Length][];
        for (int i = 0; i < xs.Length; i++)
        {
            string name = xs.Length == 1 ? argument : $"{argument}[{i}]";
            shapes[i] = CheckInput(who, xs[i], i, name);
            if (xs[i].RowCount != xs[0].RowCount)
                throw new ArgumentException($"{who}: expected every input array to have the same number of samples. Received: {argument}[0] has {xs[0].RowCount}, {name} has {xs[i].RowCount}.", argument);
        }
        return shapes;
    }

    private int[] CheckInput(string who, Tensor x, int index, string argument)
    {
        ArgumentNullException.ThrowIfNull(x, argument);
        int[]? expected = HasGraph ? Graph.Inputs[index].ShapeWithoutBatch : InputShape;
        if (x.Rank < 2 && (expected == null || expected.Length > 1 || expected[0] != 1))
            throw new ArgumentException($"{who}: expected {argument} with a batch axis, shape (N, …). Received: {Tensor.FormatShape(x.Shape)}. Reshape a single feature with {argument}.Reshape(-1, 1).", argument);
        if (x.RowCount == 0) throw new ArgumentException($"{who}: expected at least one sample in {argument}. Received: shape {Tensor.FormatShape(x.Shape)}.", argument);
        int[] sample = x.Rank < 2 ? [1] : x.Shape[1..];
        if (expected != null && !sample.AsSpan().SequenceEqual(expected))
        {
            string hint = Product(sample) == Product(expected)
                ? $" The sizes agree: reshape with {argument}.Reshape(-1, {string.Join(", ", expected)}) or start the model with a Flatten/Reshape layer." : "";
            string layer = HasGraph && Graph.Inputs.Length > 1 ? $"input \"{InputNames[index]}\"" : $"layer \"{FirstLayerName}\"";
            throw new ArgumentException($"{who}: {layer} expected input shape (None, {string.Join(", ", expected)}). Received: {argument} of shape {Tensor.FormatShape(x.Shape)}.{hint}", argument);
        }
        RequireFinite(who, x, argument);
        return sample;
    }

    private string FirstLayerName => Layers.FirstOrDefault(l => l is not SequentialNet.Layers.InputLayer)?.Name ?? Name;

    /// <summary>Checks the target arrays against the outputs and losses (after the model is built).</summary>
    private void CheckTargets(string who, Tensor[] xs, Tensor[] ys, string argument = "y")
    {
        ArgumentNullException.ThrowIfNull(ys, argument);
        if (ys.Length != Losses.Count)
            throw new ArgumentException($"{who}: model \"{Name}\" expected {Losses.Count} target array{(Losses.Count == 1 ? "" : "s")} ({string.Join(", ", OutputNames)}). Received: {ys.Length}.", argument);
        for (int o = 0; o < ys.Length; o++)
        {
            string name = ys.Length == 1 ? argument : $"{argument}[{o}] (output \"{OutputNames[o]}\")";
            ArgumentNullException.ThrowIfNull(ys[o], argument);
            if (ys[o].RowCount != xs[0].RowCount)
                throw new ArgumentException($"{who}: expected x and {name} to have the same number of samples. Received: x has {xs[0].RowCount} ({Tensor.FormatShape(xs[0].Shape)}), {name} has {ys[o].RowCount} ({Tensor.FormatShape(ys[o].Shape)}).", argument);
            RequireFinite(who, ys[o], name);
            Losses[o].ValidateLabels(ys[o], Graph.Outputs[o].ShapeWithoutBatch, name);
        }
    }

    private static void RequireFinite(string who, Tensor t, string argument)
    {
        if (t.AllFinite()) return;
        var data = t.Data;
        for (int i = 0; i < data.Length; i++)
        {
            if (float.IsFinite(data[i])) continue;
            int row = i / Math.Max(1, t.RowLength);
            throw new ArgumentException($"{who}: expected finite values in {argument}. Received: {data[i]} at sample {row} (flat index {i}).", argument);
        }
    }

    private static void RequireBatchSize(string who, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"{who}: expected batchSize > 0. Received: {batchSize}.");
    }

    private static long Product(int[] shape) => ShapeSize.Saturating(shape);
}

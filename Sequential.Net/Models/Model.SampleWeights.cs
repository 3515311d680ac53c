using SequentialNet.Losses;

namespace SequentialNet;

// Fit's and Evaluate's classWeight and sampleWeight, turned into one host array of per-loss-element weights.
public partial class Model
{
    /// <summary>
    /// Each output's weights of every element of its per-sample loss (N × the loss elements per sample), or
    /// null when the call is unweighted (the step then fills ones). Keras 3 semantics: one sampleWeight weighs
    /// every output; class weights are looked up by the sparse label, the one-hot argmax, or the rounded binary
    /// target, and only for a model with one output; both arguments at once is an error.
    /// <paramref name="who"/> and <paramref name="argument"/> name the call and argument in errors.
    /// </summary>
    private float[][]? SampleWeights(CompiledModel compiled, Tensor[] ys, IReadOnlyDictionary<int, double>? classWeight, Tensor? sampleWeight,
        string who = "Fit", string argument = "sampleWeight")
    {
        if (classWeight == null && sampleWeight is null) return null;
        if (classWeight != null && sampleWeight is not null)
            throw new ArgumentException($"{who}: you cannot pass classWeight and sampleWeight at the same time (as Keras). Multiply the class weights into sampleWeight instead.", nameof(classWeight));
        if (classWeight != null && ys.Length > 1)
            throw new ArgumentException($"{who}: classWeight is only supported for models with one output (as Keras). Received: a model with {ys.Length} outputs ({string.Join(", ", OutputNames)}). Pass sampleWeight instead.", nameof(classWeight));
        var result = new float[ys.Length][];
        for (int o = 0; o < ys.Length; o++)
            result[o] = OutputWeights(compiled, o, ys[o], classWeight, sampleWeight, who, argument);
        return result;
    }

    private float[] OutputWeights(CompiledModel compiled, int output, Tensor y, IReadOnlyDictionary<int, double>? classWeight, Tensor? sampleWeight, string who, string argument)
    {
        int n = y.RowCount;
        int inner = compiled.Graphs.Train.SampleWeights[output].InnerSize;
        var weights = new float[n * inner];
        if (sampleWeight is not null)
        {
            if (sampleWeight.RowCount != n || sampleWeight.RowLength != 1 && sampleWeight.RowLength != inner)
                throw new ArgumentException($"{who}: expected {argument} with one weight per sample, shape ({n},){(inner > 1 ? $" or ({n}, {inner})" : "")}. Received: {Tensor.FormatShape(sampleWeight.Shape)}.", argument);
            var data = sampleWeight.Data;
            for (int i = 0; i < data.Length; i++)
                if (!(float.IsFinite(data[i]) && data[i] >= 0))
                    throw new ArgumentException($"{who}: expected finite {argument} values >= 0. Received: {data[i]} at index {i}.", argument);
            if (sampleWeight.RowLength == inner) Array.Copy(data, weights, weights.Length);
            else for (int i = 0; i < n; i++) Array.Fill(weights, data[i], i * inner, inner);
            return weights;
        }
        var table = ClassWeightTable(classWeight!);
        bool sparse = Loss!.SparseLabels;
        int k = sparse ? 1 : OutputShape![^1];
        var labels = y.Data;
        for (int e = 0; e < weights.Length; e++)
        {
            int c = sparse ? (int)labels[e] : k > 1 ? ArgMax(labels.AsSpan(e * k, k)) : (int)Math.Round(labels[e]);
            weights[e] = c >= 0 && c < table.Length ? table[c] : 1f;
        }
        return weights;
    }

    /// <summary>Validates classWeight against the compiled loss and output; returns weight by class index (1 when unlisted).</summary>
    private float[] ClassWeightTable(IReadOnlyDictionary<int, double> classWeight)
    {
        if (Loss is not (SparseCategoricalCrossentropy or CategoricalCrossentropy or BinaryCrossentropy))
            throw new ArgumentException($"Fit: classWeight needs a loss whose targets are classes (sparse_categorical_crossentropy, categorical_crossentropy, binary_crossentropy). Received: loss \"{Loss!.Name}\". Use sampleWeight instead.", nameof(classWeight));
        int classes = Math.Max(2, OutputShape![^1]);
        var table = new float[classes];
        Array.Fill(table, 1f);
        foreach (var (c, w) in classWeight)
        {
            if (c < 0 || c >= classes)
                throw new ArgumentException($"Fit: expected classWeight keys in [0, {classes}) (the model has {classes} classes). Received: key {c}.", nameof(classWeight));
            if (!(double.IsFinite(w) && w >= 0))
                throw new ArgumentException($"Fit: expected finite classWeight values >= 0. Received: {w} for class {c}.", nameof(classWeight));
            table[c] = (float)w;
        }
        return table;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }
}

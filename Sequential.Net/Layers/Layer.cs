using System.Collections.Concurrent;
using SequentialNet.Graph;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Base of every layer, with Keras's lifecycle: the constructor stores configuration only;
/// <see cref="Build"/> creates the weights once the input shape is known; <c>Call</c> emits the layer's
/// graph ops on symbolic inputs; <see cref="ComputeOutputShape"/> and <see cref="GetConfig"/> describe it.
/// Shapes exclude the batch axis.
/// </summary>
public abstract partial class Layer
{
    private static readonly ConcurrentDictionary<string, int> NameCounters = new();
    private readonly List<Variable> _weights = [];
    private int[]? _builtInputShape;

    /// <summary>Stores the name (or makes a unique Keras-style one: dense, dense_1, …) and the optional input shape.</summary>
    protected Layer(string? name = null, int[]? inputShape = null)
    {
        Name = name ?? UniqueName(DefaultName);
        if (inputShape != null)
        {
            foreach (int d in inputShape)
                if (d <= 0) throw new ArgumentException($"{GetType().Name}: expected every inputShape dimension > 0. Received: {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
            InputShape = (int[])inputShape.Clone();
        }
    }

    /// <summary>The layer's name, unique within a model.</summary>
    public string Name { get; set; }

    private bool _trainable = true;

    /// <summary>
    /// Whether the optimizer updates this layer's weights. On a model it sets every layer inside, as Keras 3
    /// does. A change after Compile takes effect at the next Fit (the training graph is rebuilt then; the
    /// optimizer keeps its state).
    /// </summary>
    public virtual bool Trainable { get => _trainable; set => _trainable = value; }

    /// <summary>The declared input shape (without the batch axis), if given to the constructor.</summary>
    public int[]? InputShape { get; protected set; }

    /// <summary>True once <see cref="Build"/> has created the weights.</summary>
    public bool Built => _builtInputShape != null;

    /// <summary>The input shape the layer was built for, or null.</summary>
    public int[]? BuiltInputShape => _builtInputShape == null ? null : (int[])_builtInputShape.Clone();

    /// <summary>All weights, in creation order (Keras <c>layer.weights</c>); a model lists its layers' weights, each once.</summary>
    public virtual IReadOnlyList<Variable> Weights => _weights;

    /// <summary>The weights the optimizer updates: none when <see cref="Trainable"/> is false (for a model, of any of its layers).</summary>
    public virtual IReadOnlyList<Variable> TrainableWeights => Trainable ? _weights.Where(w => w.Trainable).ToList() : [];

    /// <summary>The weights the optimizer leaves alone.</summary>
    public IReadOnlyList<Variable> NonTrainableWeights
    {
        get { var trainable = TrainableWeights.ToHashSet(); return Weights.Where(w => !trainable.Contains(w)).ToList(); }
    }

    /// <summary>Creates the weights for inputs of <paramref name="inputShape"/> (once).</summary>
    public virtual void Build(int[] inputShape)
    {
        if (_builtInputShape != null)
        {
            if (!_builtInputShape.AsSpan().SequenceEqual(inputShape))
                throw new InvalidOperationException($"Layer \"{Name}\" was built for input shape {Tensor.FormatShape(_builtInputShape)}. Received: {Tensor.FormatShape(inputShape)}.");
            return;
        }
        BuildCore(inputShape);
        _builtInputShape = (int[])inputShape.Clone();
    }

    /// <summary>Creates the layer's weights with <see cref="AddWeight"/>. The default has none.</summary>
    protected virtual void BuildCore(int[] inputShape) { }

    /// <summary>The output shape for inputs of <paramref name="inputShape"/>; throws with a clear message if the input does not fit.</summary>
    public abstract int[] ComputeOutputShape(int[] inputShape);

    /// <summary>The weights this layer regularizes and their regularizers (their penalties join the training loss).</summary>
    internal virtual IEnumerable<(Variable Variable, Regularizers.Regularizer Regularizer)> Regularized => [];

    /// <summary>The regularized ones of a kernel-and-bias layer's weights (Dense, Conv1D, Conv2D), for <see cref="Regularized"/>.</summary>
    private protected static IEnumerable<(Variable Variable, Regularizers.Regularizer Regularizer)> KernelAndBiasPenalties(
        Variable? kernel, Regularizers.Regularizer? kernelRegularizer, Variable? bias, Regularizers.Regularizer? biasRegularizer)
    {
        if (kernelRegularizer != null && kernel != null) yield return (kernel, kernelRegularizer);
        if (biasRegularizer != null && bias != null) yield return (bias, biasRegularizer);
    }

    /// <summary>
    /// Emits the layer's ops. Built-in layers override this; the default runs the public
    /// <see cref="Call(SymbolicTensor, bool)"/> and checks its result against <see cref="ComputeOutputShape"/>.
    /// </summary>
    internal virtual Node Call(LayerContext ctx, Node x)
    {
        SymbolicTensor output = Call(new SymbolicTensor(ctx, x), ctx.Training)
            ?? throw new InvalidOperationException($"Layer \"{Name}\" ({GetType().Name}): Call returned null. Expected a SymbolicTensor.");
        if (!ReferenceEquals(output.Context, ctx))
            throw new InvalidOperationException($"Layer \"{Name}\" ({GetType().Name}): Call returned a SymbolicTensor of another graph. Expected one computed from its inputs.");
        int[] expected = ComputeOutputShape((int[])x.Shape.Clone());
        if (!output.Node.Batched || !output.Node.Shape.AsSpan().SequenceEqual(expected))
            throw new InvalidOperationException($"Layer \"{Name}\" ({GetType().Name}): Call returned {output}, but ComputeOutputShape says {Tensor.FormatShape(expected)} with a batch axis. Make them agree.");
        return output.Node;
    }

    /// <summary>
    /// Keras's <c>call(inputs, training)</c> for your own layers: compute the output from
    /// <paramref name="inputs"/> with the ops of <see cref="SymbolicTensor"/> and the weights made in
    /// <see cref="BuildCore"/>. <paramref name="training"/> is true in the training graph. The output
    /// must have a batch axis and the shape <see cref="ComputeOutputShape"/> gives. Built-in layers do
    /// not use it; a custom layer must override it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The layer does not override it.</exception>
    public virtual SymbolicTensor Call(SymbolicTensor inputs, bool training)
        => throw new InvalidOperationException($"Layer \"{Name}\" ({GetType().Name}) must override Call(SymbolicTensor inputs, bool training).");

    /// <summary>The constructor arguments, Keras-style (name, trainable, and each layer's own).</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["trainable"] = Trainable };

    /// <summary>Number of scalar weights.</summary>
    public int CountParams() => Weights.Sum(w => w.Length);

    /// <summary>Adds a weight filled by <paramref name="initializer"/>.</summary>
    protected Variable AddWeight(string name, int[] shape, Initializer initializer, bool trainable = true)
    {
        // A model being loaded allocates no more than its file holds, and takes its values from the file.
        float[] values = Saving.WeightBudget.Take(Name, name, shape) is int loading ? new float[loading]
            : initializer.Generate(shape, new RandomSource(Utils.Seed, Utils.NextStream()));
        var variable = new Variable($"{Name}/{name}", shape, values, trainable);
        _weights.Add(variable);
        return variable;
    }

    /// <summary>Prefix for generated names: the class name in snake_case, as Keras does.</summary>
    protected virtual string DefaultName => SnakeCase(GetType().Name);

    internal static void ResetNames() => NameCounters.Clear();

    private static string UniqueName(string prefix)
    {
        int n = NameCounters.AddOrUpdate(prefix, 0, (_, c) => c + 1);
        return n == 0 ? prefix : $"{prefix}_{n}";
    }

    private static string SnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool boundary = i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]));
            if (boundary) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>"Name (Type)", as the summary shows it.</summary>
    public override string ToString() => $"{Name} ({GetType().Name})";
}

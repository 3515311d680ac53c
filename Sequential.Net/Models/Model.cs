using SequentialNet.Layers;

namespace SequentialNet;

/// <summary>
/// A model: a graph of layer calls from <see cref="Input"/>s to outputs (Keras's functional <c>Model</c>),
/// trained with <c>Compile</c>, then <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c> with Keras semantics. <see cref="Sequential"/> builds the
/// same graph from a list. A model is a layer: apply it to symbolic tensors inside another model, and the two
/// share its weights. Holds device memory once compiled: dispose it (or let the next Compile replace it) to
/// free the memory deterministically; the weights and the optimizer's state stay on the host.
/// <para>Thread safety: Predict, Evaluate and the other calls may come from several threads; they run one at a
/// time on a model (each waits for the one before). Fit holds the model for its whole run: a call from another
/// thread while Fit runs throws <see cref="InvalidOperationException"/>, and a callback of Fit may call the model
/// on Fit's own thread.</para>
/// </summary>
public partial class Model : Layer, IDisposable
{
    private FunctionalGraph? _graph;

    /// <summary>
    /// A functional model from <paramref name="inputs"/> (made with <see cref="Input"/>) to
    /// <paramref name="outputs"/> (Keras's <c>Model(inputs, outputs, name)</c>). Outputs are named after the
    /// layers that make them; those names key the loss, metric and data dictionaries.
    /// </summary>
    /// <exception cref="ArgumentException">An output cannot be reached from the inputs, an input is unused, or the graph is otherwise malformed (the message names the tensors and layers).</exception>
    public Model(KerasTensor[] inputs, KerasTensor[] outputs, string? name = null) : base(name)
    {
        _graph = FunctionalGraph.Build(Name, inputs, outputs, null);
        AdoptGraph();
    }

    /// <summary>A functional model with one input and one output.</summary>
    public Model(KerasTensor input, KerasTensor output, string? name = null) : this([input], [output], name) { }

    /// <summary>A functional model with one input and several outputs (Keras's <c>Model(inp, [a, b])</c>).</summary>
    public Model(KerasTensor input, KerasTensor[] outputs, string? name = null) : this([input], outputs, name) { }

    /// <summary>A functional model with several inputs and one output (Keras's <c>Model([a, b], out)</c>).</summary>
    public Model(KerasTensor[] inputs, KerasTensor output, string? name = null) : this(inputs, [output], name) { }

    /// <summary>
    /// A functional model whose inputs and outputs are named by the dictionaries' keys (Keras accepts dicts):
    /// Fit, Evaluate and Predict then take dictionaries with those keys, and the losses and metrics are keyed
    /// by the output keys.
    /// </summary>
    public Model(IReadOnlyDictionary<string, KerasTensor> inputs, IReadOnlyDictionary<string, KerasTensor> outputs, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        _graph = FunctionalGraph.Build(Name, [.. inputs.Values], [.. outputs.Values], [.. outputs.Keys]);
        InputKeys = [.. inputs.Keys];
        AdoptGraph();
    }

    /// <summary>For <see cref="Sequential"/>, which makes its graph once the input shape is known.</summary>
    private protected Model(string? name) : base(name) { }

    /// <inheritdoc/>
    protected override string DefaultName => "functional";

    /// <summary>The graph, built for the data's sample shapes if it is not yet (a Sequential without input shape).</summary>
    internal FunctionalGraph Graph => _graph ?? throw new InvalidOperationException($"Model \"{Name}\" is not built yet: give its first layer an inputShape (or start it with an Input), or call Build(inputShape) or Fit first.");

    /// <summary>True once the model's graph exists (always for a functional model).</summary>
    internal bool HasGraph => _graph != null || TryMakeGraph();

    /// <summary>A Sequential makes its graph here when its input shape is known; a functional model has one.</summary>
    private protected virtual bool TryMakeGraph() => _graph != null;

    /// <summary>Installs a graph made by a subclass (Sequential).</summary>
    private protected void SetGraph(FunctionalGraph? graph)
    {
        _graph = graph;
        if (graph != null) AdoptGraph();
    }

    private void AdoptGraph()
    {
        var graph = _graph!;
        InputShape = graph.Inputs.Length == 1 ? graph.Inputs[0].Shape : null;
        MarkBuilt(graph.Inputs[0].ShapeWithoutBatch);
    }

    /// <summary>Dictionary keys of the inputs when the model was made from a dictionary; else the input layers' names.</summary>
    private string[]? InputKeys { get; }

    /// <summary>The layers (Keras's <c>model.layers</c>): a functional model lists its InputLayers first, then each layer once, in call order.</summary>
    public virtual IReadOnlyList<Layer> Layers => Graph.Layers;

    /// <summary>The symbolic inputs (Keras's <c>model.inputs</c>).</summary>
    public IReadOnlyList<KerasTensor> Inputs => Graph.Inputs;

    /// <summary>The symbolic outputs (Keras's <c>model.outputs</c>).</summary>
    public IReadOnlyList<KerasTensor> Outputs => Graph.Outputs;

    /// <summary>The names Fit/Evaluate/Predict dictionaries use for the inputs, in order.</summary>
    public IReadOnlyList<string> InputNames => InputKeys ?? [.. Graph.Inputs.Select(i => i.Name)];

    /// <summary>The names of the outputs, in order (the layers that make them, or the dictionary keys): they key losses, metrics and History ("class_loss").</summary>
    public IReadOnlyList<string> OutputNames => Graph.OutputNames;

    /// <summary>Each input's shape without the batch axis.</summary>
    public IReadOnlyList<int[]> InputShapes => [.. Graph.Inputs.Select(i => i.Shape)];

    /// <summary>Each output's shape without the batch axis.</summary>
    public IReadOnlyList<int[]> OutputShapes => [.. Graph.Outputs.Select(o => o.Shape)];

    /// <summary>The output shape without the batch axis, for a model with one output once built; null otherwise.</summary>
    public int[]? OutputShape => HasGraph && Graph.Outputs.Length == 1 ? Graph.Outputs[0].Shape : null;

    /// <summary>The layer named <paramref name="name"/> (Keras's <c>get_layer(name)</c>).</summary>
    /// <exception cref="ArgumentException">No layer has that name (the message lists them).</exception>
    public Layer GetLayer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Layers.FirstOrDefault(l => l.Name == name)
            ?? throw new ArgumentException($"Model \"{Name}\": no layer named \"{name}\". Expected one of: {string.Join(", ", Layers.Select(l => $"\"{l.Name}\""))}.", nameof(name));
    }

    /// <summary>The layer at <paramref name="index"/> of <see cref="Layers"/> (Keras's <c>get_layer(index=…)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such index.</exception>
    public Layer GetLayer(int index)
    {
        var layers = Layers;
        if ((uint)index >= (uint)layers.Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"Model \"{Name}\": expected a layer index in [0, {layers.Count}). Received: {index}.");
        return layers[index];
    }

    /// <summary>All weights in Keras order (layer by layer, kernel before bias), each once even when a layer is shared.</summary>
    public override IReadOnlyList<Variable> Weights => HasGraph ? Distinct(Layers.SelectMany(l => l.Weights)) : [];

    /// <inheritdoc/>
    public override IReadOnlyList<Variable> TrainableWeights => Trainable && HasGraph ? Distinct(Layers.SelectMany(l => l.TrainableWeights)) : [];

    /// <summary>Sets <see cref="Layer.Trainable"/> on the model and every layer in it, as Keras 3 does.</summary>
    public override bool Trainable
    {
        get => base.Trainable;
        set
        {
            base.Trainable = value;
            if (HasGraph) foreach (var layer in Layers) layer.Trainable = value;
        }
    }

    private static List<Variable> Distinct(IEnumerable<Variable> variables)
    {
        var seen = new HashSet<Variable>();
        return [.. variables.Where(seen.Add)];
    }

    /// <summary>Copies of all weights' values, in <see cref="Weights"/> order.</summary>
    public Tensor[] GetWeights()
    {
        using var _ = Gate.Enter(nameof(GetWeights));
        SyncHost();
        lock (Variable.HostSync) return [.. Weights.Select(w => w.ToTensor())];
    }

    /// <summary>Replaces all weights' values, in <see cref="Weights"/> order; shapes must match. Every model that holds these weights sees the new values at its next call.</summary>
    public void SetWeights(IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var _ = Gate.Enter(nameof(SetWeights));
        var weights = Weights;
        if (values.Count != weights.Count)
            throw new ArgumentException($"SetWeights: expected {weights.Count} arrays (one per weight). Received: {values.Count}.", nameof(values));
        for (int i = 0; i < weights.Count; i++)
        {
            if (values[i] is null || !values[i].Shape.AsSpan().SequenceEqual(weights[i].Shape))
                throw new ArgumentException($"SetWeights: weight {i} ({weights[i].Name}) expected shape {Tensor.FormatShape(weights[i].Shape)}. Received: {(values[i] is null ? "null" : Tensor.FormatShape(values[i].Shape))}.", nameof(values));
        }
        SyncHost();      // the other weights of a shared store must not be lost to a later download
        lock (Variable.HostSync)
            for (int i = 0; i < weights.Count; i++) { values[i].Data.CopyTo(weights[i].Value, 0); weights[i].Changed(); }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({GetType().Name})";
}

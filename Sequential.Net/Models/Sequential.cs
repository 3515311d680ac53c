using SequentialNet.Layers;

namespace SequentialNet;

/// <summary>
/// A linear stack of layers (Keras <c>keras.Sequential</c>): a builder of the same graph a functional
/// <see cref="Model"/> has, one layer applied to the output of the one before. Give the first layer an
/// <c>inputShape</c> (or start with an <see cref="Input"/> / <see cref="InputLayer"/>) to build it at once,
/// or let Build or the first Fit/Evaluate/Predict build it from the data. A model may be one of the layers.
/// </summary>
public sealed class Sequential : Model
{
    private readonly List<Layer> _layers = [];
    private readonly HashSet<string> _names = [];      // Add's duplicate check in O(1) (a renamed layer is caught when the graph is made)
    private InputLayer? _input;

    /// <summary>A model of <paramref name="layers"/>, in order.</summary>
    public Sequential(params Layer[] layers) : this(layers, null) { }

    /// <summary>A named model of <paramref name="layers"/>.</summary>
    public Sequential(IEnumerable<Layer> layers, string? name) : base(name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <inheritdoc/>
    protected override string DefaultName => "sequential";

    /// <summary>The layers, in order (an opening <see cref="InputLayer"/> is not listed, as in Keras).</summary>
    public override IReadOnlyList<Layer> Layers => _layers;

    /// <summary>
    /// Appends a layer (Keras's <c>add</c>). An <see cref="InputLayer"/> may only come first; names must be
    /// unique. On a compiled model the graphs are made again at the next call (the weights and the optimizer's
    /// state are kept).
    /// </summary>
    /// <exception cref="InvalidOperationException">The name is taken, or an InputLayer comes after other layers.</exception>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        using var _ = Gate.Enter(nameof(Add));
        if (layer is InputLayer input)
        {
            if (_layers.Count > 0 || _input != null)
                throw new InvalidOperationException($"Sequential.Add: an InputLayer (\"{input.Name}\") may only be the first element. Received it after {(_input != null ? "another InputLayer" : $"{_layers.Count} layers")}.");
            _input = input;
            InputShape = input.Shape;
            return;
        }
        if (_names.Contains(layer.Name))
            throw new InvalidOperationException($"Sequential.Add: a layer named \"{layer.Name}\" is already in the model. Layer names must be unique.");
        if (ReferenceEquals(layer, this)) throw new InvalidOperationException("Sequential.Add: a model cannot contain itself.");
        _layers.Add(layer);
        _names.Add(layer.Name);
        if (_layers.Count == 1 && _input == null && layer.InputShape != null) InputShape = layer.InputShape;
        Invalidate();
    }

    /// <summary>Removes the last layer and returns it (Keras's <c>pop</c>); the graphs are made again at the next call.</summary>
    /// <exception cref="InvalidOperationException">The model has no layers.</exception>
    public Layer Pop()
    {
        using var _ = Gate.Enter(nameof(Pop));
        if (_layers.Count == 0) throw new InvalidOperationException("Sequential.Pop: the model has no layers to remove.");
        var last = _layers[^1];
        _layers.RemoveAt(_layers.Count - 1);
        _names.Remove(last.Name);
        if (_layers.Count == 0 && _input == null) InputShape = null;
        Invalidate();
        return last;
    }

    private void Invalidate()
    {
        ForgetCompiled();
        SetGraph(null);
    }

    /// <inheritdoc/>
    private protected override bool TryMakeGraph()
    {
        if (InputShape == null || _layers.Count == 0) return false;
        MakeGraphFor([InputShape]);
        return true;
    }

    /// <inheritdoc/>
    private protected override void MakeGraphFor(int[][] inputShapes)
    {
        if (_layers.Count == 0) throw new InvalidOperationException($"Sequential \"{Name}\": the model has no layers. Add at least one layer before Compile/Fit.");
        if (inputShapes.Length != 1) throw new ArgumentException($"Sequential \"{Name}\" expected 1 input. Received: {inputShapes.Length}.");
        var input = _input?.Output ?? new Input(inputShapes[0], $"{Name}_input");
        KerasTensor x = input;
        foreach (var layer in _layers) x = layer.Apply(x);
        InputShape = input.Shape;
        SetGraph(FunctionalGraph.Build(Name, [input], [x], null));
    }
}

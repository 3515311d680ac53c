using SequentialNet.Layers;

namespace SequentialNet;

/// <summary>
/// A linear stack of layers (Keras <c>keras.Sequential</c>). Give the first layer an <c>inputShape</c>
/// to build at Compile, or let the first Fit/Evaluate/Predict build it from the data.
/// </summary>
public sealed class Sequential : Model
{
    private static int _count;
    private readonly List<Layer> _layers = [];

    /// <summary>A model of <paramref name="layers"/>, in order.</summary>
    public Sequential(params Layer[] layers) : this(layers, null) { }

    /// <summary>A named model of <paramref name="layers"/>.</summary>
    public Sequential(IEnumerable<Layer> layers, string? name)
        : base(name ?? (Interlocked.Increment(ref _count) == 1 ? "sequential" : $"sequential_{_count - 1}"))
    {
        foreach (var layer in layers) Add(layer);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Appends a layer. Only the first layer's inputShape is used; names must be unique.</summary>
    /// <exception cref="InvalidOperationException">The model is already compiled and built, or the name is taken.</exception>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (OutputShape != null)
            throw new InvalidOperationException($"Sequential.Add: the model is already built; add layer \"{layer.Name}\" before the first Compile/Fit.");
        if (_layers.Any(l => l.Name == layer.Name))
            throw new InvalidOperationException($"Sequential.Add: a layer named \"{layer.Name}\" is already in the model. Layer names must be unique.");
        _layers.Add(layer);
        layer.Owner = this;
        if (_layers.Count == 1 && layer.InputShape != null) InputShape = layer.InputShape;
    }

    /// <inheritdoc/>
    protected override void BuildLayers(int[] inputShape)
    {
        if (OutputShape != null) return;
        if (_layers.Count == 0) throw new InvalidOperationException("Sequential: the model has no layers. Add at least one layer before Compile/Fit.");
        int[] shape = inputShape;
        foreach (var layer in _layers)
        {
            layer.Build(shape);
            shape = layer.ComputeOutputShape(shape);
        }
        InputShape = (int[])inputShape.Clone();
        OutputShape = shape;
    }
}

using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// The layer behind an <see cref="Input"/> (Keras's <c>InputLayer</c>): it only declares the shape of a
/// model's input. As the first element of a <see cref="Sequential"/> it sets the model's input shape.
/// </summary>
public sealed class InputLayer : Layer
{
    private Input? _output;

    /// <summary>An input of <paramref name="shape"/> (without the batch axis).</summary>
    /// <exception cref="ArgumentException">A dimension is not positive.</exception>
    public InputLayer(int[] shape, string? name = null) : base(name, RequireShape(shape))
    {
        Shape = (int[])shape.Clone();
        Build(Shape);
    }

    internal void Attach(Input input) => _output ??= input;

    /// <summary>The per-sample shape.</summary>
    public int[] Shape { get; }

    /// <summary>The symbolic tensor this layer outputs.</summary>
    public Input Output => _output ??= new Input(this);

    /// <inheritdoc/>
    protected override string DefaultName => "input_layer";

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x) => x;

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["shape"] = Shape;
        return config;
    }

    private static int[] RequireShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d <= 0))     // () is allowed, as in Keras: one scalar per sample
            throw new ArgumentException($"Input: expected a shape of positive dimensions (without the batch axis), e.g. [784]. Received: {Tensor.FormatShape(shape)}.", nameof(shape));
        return shape;
    }
}

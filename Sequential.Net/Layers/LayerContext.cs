using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>What a layer's Call needs besides its input: the graph, the mode and its weights' nodes.</summary>
internal sealed class LayerContext(GraphBuilder graph, bool training, Func<Variable, Node> parameter)
{
    public GraphBuilder Graph { get; } = graph;
    /// <summary>True in the training graph (dropout and augmentation active).</summary>
    public bool Training { get; } = training;
    private int _calls;

    /// <summary>Index of the layer call being emitted (0, 1, … in graph order), used as its random stream id.</summary>
    public int LayerIndex { get; set; }

    /// <summary>Starts the next layer call: it gets the next <see cref="LayerIndex"/>.</summary>
    public void BeginCall() => LayerIndex = _calls++;
    public Node Param(Variable v) => parameter(v);
}

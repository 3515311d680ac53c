using SequentialNet.Graph;
using SequentialNet.Layers;
using SequentialNet.Regularizers;

namespace SequentialNet;

// A model is a layer (Keras 3): applied to symbolic tensors inside another model, it emits its own graph
// there, with its own layers' weights, so the two models share them.
public partial class Model
{
    /// <inheritdoc/>
    internal override (int Min, int Max) InputArity => HasGraph ? (Graph.Inputs.Length, Graph.Inputs.Length) : (1, 1);

    /// <summary>The output shape for one input of <paramref name="inputShape"/>.</summary>
    /// <exception cref="ArgumentException">The shape is not the model's input shape, or the model has several inputs or outputs.</exception>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        var shapes = OutputShapesFor([inputShape]);
        if (shapes.Length != 1)
            throw new InvalidOperationException($"Model \"{Name}\" has {shapes.Length} outputs: see OutputShapes.");
        return shapes[0];
    }

    /// <inheritdoc/>
    internal override void BuildFor(int[][] inputShapes)
    {
        if (!HasGraph) MakeGraphFor(inputShapes);
        var inputs = Graph.Inputs;
        if (inputShapes.Length != inputs.Length)
            throw new ArgumentException($"Model \"{Name}\" expected {inputs.Length} inputs. Received: {inputShapes.Length}.");
        for (int i = 0; i < inputs.Length; i++)
            if (!inputShapes[i].AsSpan().SequenceEqual(inputs[i].ShapeWithoutBatch))
                throw new ArgumentException($"Model \"{Name}\": input \"{inputs[i].Name}\" expected shape (None, {string.Join(", ", inputs[i].ShapeWithoutBatch)}). Received: (None, {string.Join(", ", inputShapes[i])}).");
    }

    /// <summary>Makes the graph for inputs of <paramref name="inputShapes"/> (Sequential); a functional model always has one.</summary>
    private protected virtual void MakeGraphFor(int[][] inputShapes) { }

    /// <inheritdoc/>
    internal override int[][] OutputShapesFor(int[][] inputShapes)
    {
        BuildFor(inputShapes);
        return [.. Graph.Outputs.Select(o => o.Shape)];
    }

    /// <inheritdoc/>
    internal override Node[] CallAll(LayerContext ctx, Node[] inputs) => Graph.Emit(ctx, inputs);

    /// <inheritdoc/>
    internal override Node Call(LayerContext ctx, Node x) => CallAll(ctx, [x])[0];

    /// <summary>The regularized weights of every layer inside, each once.</summary>
    internal override IEnumerable<(Variable Variable, Regularizer Regularizer)> Regularized
    {
        get
        {
            if (!HasGraph) yield break;
            var seen = new HashSet<Variable>();
            foreach (var layer in Layers)
                foreach (var pair in layer.Regularized)
                    if (seen.Add(pair.Variable)) yield return pair;
        }
    }
}

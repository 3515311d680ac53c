using SequentialNet.Backends;

namespace SequentialNet.Graph;

/// <summary>
/// A graph operation: shape rule (at emission), forward on a backend, float64 reference (for gradient
/// checks and backend parity tests), and its gradient written as more graph ops (autodiff).
/// </summary>
internal abstract class Op
{
    /// <summary>Name shown in graph dumps and errors.</summary>
    public abstract string Name { get; }

    /// <summary>True when the output shares its input's memory (reshape): nothing runs.</summary>
    public virtual bool IsAlias => false;

    /// <summary>Where an alias starts in its input's memory, in elements (0: the whole input, as reshape).</summary>
    public virtual int AliasOffset(Node node, int batch) => 0;

    /// <summary>True for ops with effects beyond their output (optimizer steps, accumulators).</summary>
    public virtual bool HasSideEffects => false;

    /// <summary>Runs the op on <paramref name="backend"/> with the buffers and batch size bound in <paramref name="args"/>.</summary>
    public abstract void Run(IBackend backend, in OpArgs args);

    /// <summary>Float64 reference of the forward, for tests: fills <paramref name="output"/>.</summary>
    public abstract void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch);

    /// <summary>
    /// Emits the gradient ops: given ∂L/∂output, returns ∂L/∂input for each input (null where an input
    /// needs no gradient or has none).
    /// </summary>
    public virtual Node?[] Backward(GraphBuilder g, Node node, Node outputGrad)
        => throw new InvalidOperationException($"Op {Name} has no gradient.");
}

/// <summary>The buffers bound to one node for one batch size.</summary>
internal readonly struct OpArgs(DeviceBuffer[] inputs, DeviceBuffer output, Node node, int batch, ModelState state)
{
    public readonly DeviceBuffer[] Inputs = inputs;
    public readonly DeviceBuffer Output = output;
    public readonly Node Node = node;
    public readonly int Batch = batch;
    public readonly ModelState State = state;
    public DeviceBuffer this[int i] => Inputs[i];
}

/// <summary>Values the float64 reference needs beyond inputs (random state).</summary>
internal sealed class ReferenceContext
{
    public ulong Seed { get; init; }
    /// <summary>The optimizer step the dropout masks are drawn for.</summary>
    public int RngStep { get; init; }
}

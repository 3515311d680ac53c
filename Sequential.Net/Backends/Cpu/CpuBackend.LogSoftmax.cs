using System.Numerics.Tensors;

namespace SequentialNet.Backends.Cpu;

// log_softmax and its backward: the row maximum, the shift by log Σ e^(x − max) and the row sum of dy run on
// TensorPrimitives (SIMD); the exponentials are MathF.Exp, as Softmax's (TensorPrimitives.Exp measured slower there).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void LogSoftmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols)
    {
        RequireEach(nameof(LogSoftmax), RequireMatrix(nameof(LogSoftmax), rows, cols), (nameof(x), x), (nameof(y), y));
        if (cols == 0) return;
        var args = new SoftmaxArgs { X = F(x), Y = F(y), Cols = cols };
        ElementwiseParallel.ForRows(rows, cols, &args, &LogSoftmaxRange, SoftmaxThreshold);
    }

    private static void LogSoftmaxRange(void* state, int first, int count)
    {
        ref SoftmaxArgs a = ref *(SoftmaxArgs*)state;
        for (int r = first; r < first + count; r++)
        {
            var x = new ReadOnlySpan<float>(a.X + (long)r * a.Cols, a.Cols);
            var y = new Span<float>(a.Y + (long)r * a.Cols, a.Cols);
            float max = TensorPrimitives.Max(x);
            float sum = 0;
            foreach (float v in x) sum += MathF.Exp(v - max);
            TensorPrimitives.Subtract(x, max + MathF.Log(sum), y);
        }
    }

    /// <inheritdoc/>
    public void LogSoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols)
    {
        RequireEach(nameof(LogSoftmaxBackward), RequireMatrix(nameof(LogSoftmaxBackward), rows, cols), (nameof(y), y), (nameof(dy), dy), (nameof(dx), dx));
        float* py = F(y), pdy = F(dy), pdx = F(dx);
        for (int r = 0; r < rows; r++)
        {
            long o = (long)r * cols;
            float sum = TensorPrimitives.Sum(new ReadOnlySpan<float>(pdy + o, cols));
            for (int j = 0; j < cols; j++) pdx[o + j] = pdy[o + j] - MathF.Exp(py[o + j]) * sum;
        }
    }
}

using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Gradient clipping and decoupled weight decay (kernels/optim.cu). Norms are reduced on the device in a
// fixed order and applied there: no host round trip, so a captured step replays them.
public sealed unsafe partial class CudaBackend
{
    private const int NormThreads = 256;
    private const int MaxClipBlocksPerSegment = 256;

    /// <inheritdoc/>
    public void DecayWeights(DeviceBuffer param, DeviceBuffer hyper, float weightDecay)
    {
        CudaBuffer bw = B(param), bh = B(hyper);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(DecayWeights), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        int n = bw.Length;
        if (n == 0) return;
        ulong pw = bw.Pointer, ph = bh.Pointer;
        int lrSlot = StateSlots.LearningRate;
        void** args = stackalloc void*[5];
        args[0] = &pw; args[1] = &n; args[2] = &ph; args[3] = &lrSlot; args[4] = &weightDecay;
        _device.Launch("decay_weights_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void ClipGradientValues(DeviceBuffer grad, float clipValue)
    {
        CudaBuffer bg = B(grad);
        int n = bg.Length;
        if (n == 0) return;
        ulong pg = bg.Pointer;
        void** args = stackalloc void*[3];
        args[0] = &pg; args[1] = &n; args[2] = &clipValue;
        _device.Launch("clip_values_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void ClipGradientNorms(DeviceBuffer grad, DeviceBuffer segments, int segmentCount, DeviceBuffer squaredNorms, float clipNorm, bool global)
    {
        CudaBuffer bg = B(grad), bs = B(segments), bq = B(squaredNorms);
        if (!bs.IsInt) throw new ArgumentException($"{nameof(ClipGradientNorms)}: segments must be an int buffer.", nameof(segments));
        if (bs.Length < 2L * segmentCount) throw TooShort(nameof(ClipGradientNorms), nameof(segments), 2L * segmentCount, bs.Length);
        if (bq.Length < segmentCount) throw TooShort(nameof(ClipGradientNorms), nameof(squaredNorms), segmentCount, bq.Length);
        if (segmentCount > MaxRowBlocks) throw new NotSupportedException($"{nameof(ClipGradientNorms)}: at most {MaxRowBlocks} variables can be clipped by norm. Received: {segmentCount}.");
        if (segmentCount <= 0) return;
        LaunchSegmentSquaredNorms(bg.Pointer, bs.Pointer, bq.Pointer, segmentCount);
        LaunchClipNorms(bg.Pointer, bs.Pointer, segmentCount, bq.Pointer, clipNorm, global, bg.Length);
    }

    /// <summary>segment_squared_norms_f32: one block per segment; sq[s] = Σ g² over segment s.</summary>
    private void LaunchSegmentSquaredNorms(ulong grad, ulong segments, ulong squaredNorms, int segmentCount)
    {
        ulong pg = grad, ps = segments, pq = squaredNorms;
        void** args = stackalloc void*[3];
        args[0] = &pg; args[1] = &ps; args[2] = &pq;
        _device.Launch("segment_squared_norms_f32", new Dim3((uint)segmentCount), new Dim3(NormThreads), 0, args);
    }

    /// <summary>clip_norms_f32: grid (blocks per segment, segments); scales each segment by its clip factor.</summary>
    private void LaunchClipNorms(ulong grad, ulong segments, int segmentCount, ulong squaredNorms, float clipNorm, bool global, int gradLength)
    {
        ulong pg = grad, ps = segments, pq = squaredNorms;
        int count = segmentCount, isGlobal = global ? 1 : 0;
        // Blocks per segment sized for an average segment; each block walks its segment with a grid-stride loop.
        uint perSegment = (uint)Math.Clamp(((long)gradLength / segmentCount + ElementwiseThreads - 1) / ElementwiseThreads, 1, MaxClipBlocksPerSegment);
        void** args = stackalloc void*[6];
        args[0] = &pg; args[1] = &ps; args[2] = &count; args[3] = &pq; args[4] = &clipNorm; args[5] = &isGlobal;
        _device.Launch("clip_norms_f32", new Dim3(perSegment, (uint)segmentCount), new Dim3(ElementwiseThreads), 0, args);
    }
}

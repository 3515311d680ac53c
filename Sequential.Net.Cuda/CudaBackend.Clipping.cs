using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Gradient clipping and decoupled weight decay (kernels/optim.cu). Norms are reduced on the device in a
// fixed order and applied there: no host round trip, so a captured step replays them.
public sealed unsafe partial class CudaBackend
{
    private const int NormThreads = 256;
    private const int MaxClipBlocksPerSegment = 256;
    private const int NormChunk = 8192;     // elements per chunk of a variable's squared norm: 32 per thread of a block

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
        LaunchSegmentSquaredNorms(bg.Pointer, bg.Length, bs.Pointer, bq.Pointer, segmentCount);
        LaunchClipNorms(bg.Pointer, bs.Pointer, segmentCount, bq.Pointer, clipNorm, global, bg.Length);
    }

    /// <summary>
    /// The squared norms split over blocks: each segment (variable) is cut into chunks of
    /// <see cref="NormChunk"/> elements (segment_chunk_bases_i32 numbers them in order), any number of blocks sum
    /// the chunks (segment_chunk_squares_f32, grid (chunk slots, segments)), and one thread per segment adds its
    /// chunk sums in order (segment_sum_chunks_f32). The chunks depend on the sizes only, so sq has the same bits
    /// at every grid size. Scratch: the chunk bases (ints), then the chunk sums; the segments do not overlap (they
    /// are the trainable variables' ranges), so there are at most length / NormChunk + segments chunks.
    /// </summary>
    private void LaunchSegmentSquaredNorms(ulong grad, int gradLength, ulong segments, ulong squaredNorms, int segmentCount)
    {
        long chunksBound = (long)gradLength / NormChunk + segmentCount + 1;
        if (segmentCount + 1 + chunksBound > ScratchLength)
            throw new NotSupportedException($"{nameof(ClipGradientNorms)}: expected at most {ScratchLength} floats of chunk sums. Received: {segmentCount} variables of {gradLength} values in all.");
        ulong pg = grad, ps = segments, pq = squaredNorms, bases = _scratch.Pointer, partial = _scratch.Pointer + (ulong)(segmentCount + 1) * 4;
        int count = segmentCount, chunk = NormChunk;
        void** args = stackalloc void*[5];
        args[0] = &ps; args[1] = &count; args[2] = &chunk; args[3] = &bases;
        _device.Launch("segment_chunk_bases_i32", new Dim3(1), new Dim3(1), 0, args);
        // Chunk slots for twice the average chunks per segment: enough blocks for the long variables, few idle ones.
        uint slots = (uint)Math.Clamp(2 * (chunksBound / segmentCount + 1), 1, MaxClipBlocksPerSegment);
        args[0] = &pg; args[1] = &ps; args[2] = &bases; args[3] = &chunk; args[4] = &partial;
        _device.Launch("segment_chunk_squares_f32", new Dim3(slots, (uint)segmentCount), new Dim3(NormThreads), 0, args);
        args[0] = &partial; args[1] = &bases; args[2] = &count; args[3] = &pq;
        _device.Launch("segment_sum_chunks_f32", new Dim3((uint)((segmentCount + NormThreads - 1) / NormThreads)), new Dim3(NormThreads), 0, args);
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

using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// The learning-rate schedule on the device (lr_schedule_f32, kernels/optim.cu): one thread reads the
// iterations counter and writes the rate, so a captured step follows the schedule with no host input.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void ScheduleLearningRate(in DeviceSchedule schedule, DeviceBuffer hyper, DeviceBuffer counters)
    {
        CudaBuffer bh = B(hyper), bc = RequireInt(counters, StateSlots.OptimizerStep, nameof(ScheduleLearningRate));
        if (bh.IsInt || bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(ScheduleLearningRate), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        ulong ph = bh.Pointer, pc = bc.Pointer, pb = pc, pv = ph;
        int count = 0;
        if (schedule.Kind == ScheduleKind.PiecewiseConstantDecay)
        {
            var (boundaries, values) = schedule.RequireTables();
            pb = B(boundaries).Pointer; pv = B(values).Pointer; count = schedule.Count;
        }
        int lrSlot = StateSlots.LearningRate, stepSlot = StateSlots.OptimizerStep, kind = (int)schedule.Kind;
        double init = schedule.InitialLearningRate, rate = schedule.DecayRate, alpha = schedule.Alpha, target = schedule.WarmupTarget;
        int decaySteps = schedule.DecaySteps, staircase = schedule.Staircase ? 1 : 0, warmupSteps = schedule.WarmupSteps;
        int hasWarmup = double.IsNaN(target) ? 0 : 1;
        if (hasWarmup == 0) target = 0;
        void** args = stackalloc void*[16];
        args[0] = &ph; args[1] = &lrSlot; args[2] = &pc; args[3] = &stepSlot; args[4] = &kind; args[5] = &init; args[6] = &decaySteps;
        args[7] = &rate; args[8] = &staircase; args[9] = &alpha; args[10] = &hasWarmup; args[11] = &target; args[12] = &warmupSteps;
        args[13] = &pb; args[14] = &pv; args[15] = &count;
        _device.Launch("lr_schedule_f32", new Dim3(1), new Dim3(1), 0, args);
    }
}

namespace SequentialNet.Backends.Cpu;

// The learning-rate schedule, evaluated in float64 at the iterations counter like lr_schedule_f32.
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void ScheduleLearningRate(in DeviceSchedule schedule, DeviceBuffer hyper, DeviceBuffer counters)
    {
        if (hyper.Length <= StateSlots.LearningRate)
            throw new ArgumentException($"{nameof(ScheduleLearningRate)}: hyper needs at least {StateSlots.LearningRate + 1} elements. Received a buffer of {hyper.Length}.", nameof(hyper));
        RequireIndex(nameof(ScheduleLearningRate), "step slot", counters, StateSlots.OptimizerStep);
        int step = C(counters).I[StateSlots.OptimizerStep];
        double lr;
        if (schedule.Kind == ScheduleKind.PiecewiseConstantDecay)
        {
            var (boundaries, values) = schedule.RequireTables();
            int* b = C(boundaries).I;
            int i = 0;
            while (i < schedule.Count && step > b[i]) i++;
            lr = F(values)[i];
        }
        else lr = schedule.Formula(step);
        F(hyper)[StateSlots.LearningRate] = (float)lr;
    }
}

using SequentialNet.Backends;

namespace SequentialNet.Optimizers;

/// <summary>
/// Keras <c>PiecewiseConstantDecay</c>: values[0] while t &lt;= boundaries[0], values[i + 1] while
/// boundaries[i] &lt; t &lt;= boundaries[i + 1], values[^1] once t &gt; boundaries[^1]. The table is uploaded
/// to the device once per compiled model; the rates are used as float32.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly int[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates the schedule.</summary>
    /// <param name="boundaries">Increasing step boundaries.</param>
    /// <param name="values">The rates, one more than the boundaries.</param>
    /// <exception cref="ArgumentException">Lengths that do not match, boundaries not increasing, or a rate not finite and &gt;= 0.</exception>
    public PiecewiseConstantDecay(int[] boundaries, double[] values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != boundaries.Length + 1)
            throw new ArgumentException($"PiecewiseConstantDecay: the length of boundaries should be 1 less than the length of values. Received: boundaries of length {boundaries.Length}, values of length {values.Length}.", nameof(values));
        for (int i = 1; i < boundaries.Length; i++)
            if (boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException($"PiecewiseConstantDecay: expected increasing boundaries. Received: boundaries[{i - 1}]={boundaries[i - 1]}, boundaries[{i}]={boundaries[i]}.", nameof(boundaries));
        foreach (double v in values) CheckRate(v, nameof(values), nameof(PiecewiseConstantDecay));
        _boundaries = (int[])boundaries.Clone();
        _values = (double[])values.Clone();
    }

    /// <summary>The step boundaries (a copy).</summary>
    public int[] Boundaries => (int[])_boundaries.Clone();
    /// <summary>The rates (a copy).</summary>
    public double[] Values => (double[])_values.Clone();

    private protected override double Compute(long step)
    {
        int i = 0;
        while (i < _boundaries.Length && step > _boundaries[i]) i++;
        return _values[i];
    }

    internal override (DeviceBuffer Boundaries, DeviceBuffer Values)? UploadTables(IBackend backend)
    {
        // At least one entry each, so no buffer is empty (a lone rate has no boundary).
        var table = new int[Math.Max(1, _boundaries.Length)];
        _boundaries.CopyTo(table, 0);
        var boundaries = backend.AllocateInt(table.Length);
        var values = backend.Allocate(_values.Length);
        backend.UploadInt(table, boundaries);
        backend.Upload(_values.Select(v => (float)v).ToArray(), values);
        return (boundaries, values);
    }

    internal override DeviceSchedule ToDevice((DeviceBuffer Boundaries, DeviceBuffer Values)? tables)
    {
        if (tables is not { } t) throw new InvalidOperationException("PiecewiseConstantDecay: the table is not on the device; compile the model first.");
        return new(ScheduleKind.PiecewiseConstantDecay, 0, 0, 0, false, 0, double.NaN, 0, t.Boundaries, t.Values, _boundaries.Length);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["boundaries"] = Boundaries, ["values"] = Values, ["name"] = Name,
    };
}

namespace OpenStackOps.Compute
{
    /// <summary>What the compute endpoint's version document says it accepts.</summary>
    public sealed class ComputeVersionRange
    {
        public ComputeVersionRange(Microversion minimum, Microversion maximum)
        {
            Minimum = minimum;
            Maximum = maximum;
        }

        public Microversion Minimum { get; }
        public Microversion Maximum { get; }

        /// <summary>Nova 2.0 / clouds without microversions: everything is 2.1.</summary>
        public static readonly ComputeVersionRange Legacy = new ComputeVersionRange(new Microversion(2, 1), new Microversion(2, 1));
    }
}

//! [`FargateSize`]: the CPU and memory pairs Fargate accepts, and the [`CpuArchitecture`] tasks run on.

use crate::error::{Checks, Error};

/// The memory sizes one CPU size accepts: `from..=to` MiB in steps of `step`.
#[derive(Debug, Clone, Copy)]
struct MemoryRange {
    cpu: u32,
    from: u32,
    to: u32,
    step: u32,
}

/// Every Fargate task size (Linux), from the ECS developer guide's "Task size" table. 256 CPU
/// units is the one irregular row: 512, 1024 or 2048 MiB (listed as 512..=2048 step 512, with
/// 1536 excluded below).
const SIZES: [MemoryRange; 7] = [
    MemoryRange { cpu: 256, from: 512, to: 2048, step: 512 },
    MemoryRange { cpu: 512, from: 1024, to: 4096, step: 1024 },
    MemoryRange { cpu: 1024, from: 2048, to: 8192, step: 1024 },
    MemoryRange { cpu: 2048, from: 4096, to: 16384, step: 1024 },
    MemoryRange { cpu: 4096, from: 8192, to: 30720, step: 1024 },
    MemoryRange { cpu: 8192, from: 16384, to: 61440, step: 4096 },
    MemoryRange { cpu: 16384, from: 32768, to: 122_880, step: 8192 },
];

impl MemoryRange {
    fn accepts(self, memory_mib: u32) -> bool {
        (self.from..=self.to).contains(&memory_mib)
            && (memory_mib - self.from).is_multiple_of(self.step)
            && !(self.cpu == 256 && memory_mib == 1536)
    }

    fn describe(self) -> String {
        if self.cpu == 256 {
            "512, 1024 or 2048 MiB".to_owned()
        } else {
            format!("{} to {} MiB in steps of {}", self.from, self.to, self.step)
        }
    }
}

/// A Fargate task's CPU units and memory: only the pairs Fargate accepts can be built.
///
/// ```
/// use stackwright_constructs::ecs::FargateSize;
/// let size = FargateSize::new(1024, 3072).unwrap();
/// assert_eq!((size.cpu(), size.memory_mib()), (1024, 3072));
/// assert!(FargateSize::new(256, 4096).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FargateSize {
    cpu: u32,
    memory_mib: u32,
}

impl FargateSize {
    /// 0.25 vCPU, 0.5 GB.
    pub const CPU_256_MEMORY_512: Self = Self { cpu: 256, memory_mib: 512 };
    /// 0.25 vCPU, 1 GB.
    pub const CPU_256_MEMORY_1024: Self = Self { cpu: 256, memory_mib: 1024 };
    /// 0.5 vCPU, 1 GB.
    pub const CPU_512_MEMORY_1024: Self = Self { cpu: 512, memory_mib: 1024 };
    /// 0.5 vCPU, 2 GB.
    pub const CPU_512_MEMORY_2048: Self = Self { cpu: 512, memory_mib: 2048 };
    /// 1 vCPU, 2 GB.
    pub const CPU_1024_MEMORY_2048: Self = Self { cpu: 1024, memory_mib: 2048 };
    /// 2 vCPU, 4 GB.
    pub const CPU_2048_MEMORY_4096: Self = Self { cpu: 2048, memory_mib: 4096 };
    /// 4 vCPU, 8 GB.
    pub const CPU_4096_MEMORY_8192: Self = Self { cpu: 4096, memory_mib: 8192 };

    /// `cpu` units (1024 = 1 vCPU) with `memory_mib` MiB, when Fargate offers that pair.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] (rule `ecs-task/fargate-size`) naming the pair and what that CPU
    /// size accepts.
    pub fn new(cpu: u32, memory_mib: u32) -> Result<Self, Error> {
        let mut checks = Checks::new(&"FargateSize");
        match SIZES.iter().find(|s| s.cpu == cpu) {
            Some(range) => checks.require(range.accepts(memory_mib), "ecs-task/fargate-size", || {
                format!(
                    "Fargate has no task size of {cpu} CPU units with {memory_mib} MiB; {cpu} CPU units take {}",
                    range.describe()
                )
            }),
            None => checks.fail(
                "ecs-task/fargate-size",
                format!("Fargate CPU units must be 256, 512, 1024, 2048, 4096, 8192 or 16384, got {cpu}"),
            ),
        }
        checks.finish()?;
        Ok(Self { cpu, memory_mib })
    }

    /// CPU units (1024 = 1 vCPU).
    pub fn cpu(self) -> u32 {
        self.cpu
    }

    /// Memory in MiB.
    pub fn memory_mib(self) -> u32 {
        self.memory_mib
    }
}

/// The CPU architecture of a Linux Fargate task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CpuArchitecture {
    /// Intel/AMD 64-bit.
    #[default]
    X86_64,
    /// Graviton (ARM 64-bit): cheaper per vCPU, needs an `arm64` image.
    Arm64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_pair_is_accepted() {
        let mut count = 0;
        for range in SIZES {
            for memory in (range.from..=range.to).step_by(range.step as usize) {
                if FargateSize::new(range.cpu, memory).is_ok() {
                    count += 1;
                }
            }
        }
        // 3 + 4 + 7 + 13 + 23 + 12 + 12
        assert_eq!(count, 74);
        assert!(FargateSize::new(16384, 122_880).is_ok());
        assert!(FargateSize::new(8192, 20480).is_ok());
    }

    #[test]
    fn constants_are_valid_pairs() {
        for size in [
            FargateSize::CPU_256_MEMORY_512,
            FargateSize::CPU_256_MEMORY_1024,
            FargateSize::CPU_512_MEMORY_1024,
            FargateSize::CPU_512_MEMORY_2048,
            FargateSize::CPU_1024_MEMORY_2048,
            FargateSize::CPU_2048_MEMORY_4096,
            FargateSize::CPU_4096_MEMORY_8192,
        ] {
            assert_eq!(FargateSize::new(size.cpu(), size.memory_mib()), Ok(size));
        }
    }

    #[test]
    fn a_pair_fargate_lacks_names_the_pair_and_what_the_cpu_takes() {
        assert_eq!(
            FargateSize::new(256, 1536).unwrap_err().to_string(),
            "FargateSize: Fargate has no task size of 256 CPU units with 1536 MiB; 256 CPU units take 512, 1024 or \
             2048 MiB [ecs-task/fargate-size]"
        );
        assert_eq!(
            FargateSize::new(8192, 18432).unwrap_err().to_string(),
            "FargateSize: Fargate has no task size of 8192 CPU units with 18432 MiB; 8192 CPU units take 16384 to \
             61440 MiB in steps of 4096 [ecs-task/fargate-size]"
        );
        assert_eq!(
            FargateSize::new(4096, 31744).unwrap_err().to_string(),
            "FargateSize: Fargate has no task size of 4096 CPU units with 31744 MiB; 4096 CPU units take 8192 to \
             30720 MiB in steps of 1024 [ecs-task/fargate-size]"
        );
    }

    #[test]
    fn an_unknown_cpu_size_lists_the_cpu_sizes() {
        assert_eq!(
            FargateSize::new(300, 1024).unwrap_err().to_string(),
            "FargateSize: Fargate CPU units must be 256, 512, 1024, 2048, 4096, 8192 or 16384, got 300 \
             [ecs-task/fargate-size]"
        );
    }

    #[test]
    fn the_default_architecture_is_x86_64() {
        assert_eq!(CpuArchitecture::default(), CpuArchitecture::X86_64);
    }
}

//! Hooks: functions that adjust an L2 construct's props after a pattern has set them and
//! before it builds the construct, so every knob of the L2 stays reachable from the pattern.

use std::fmt;
use std::sync::Arc;

use crate::ecs::FargateServiceProps;

/// Adjusts props of type `P` (e.g. a build project's or the pipeline's).
#[derive(Clone)]
pub struct Hook<P>(Arc<dyn Fn(P) -> P + Send + Sync>);

impl<P> Hook<P> {
    /// A hook running `adjust`.
    pub fn new(adjust: impl Fn(P) -> P + Send + Sync + 'static) -> Self {
        Self(Arc::new(adjust))
    }

    pub(crate) fn apply(&self, props: P) -> P {
        (self.0)(props)
    }
}

impl<P> fmt::Debug for Hook<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hook<{}>(..)", std::any::type_name::<P>())
    }
}

/// Adjusts the service's props, like [`Hook`]; a type of its own because the service's props
/// borrow the cluster and task definition the pattern builds.
#[derive(Clone)]
pub struct ServiceHook(Arc<dyn for<'a> Fn(FargateServiceProps<'a>) -> FargateServiceProps<'a> + Send + Sync>);

impl ServiceHook {
    /// A hook running `adjust`.
    pub fn new(
        adjust: impl for<'a> Fn(FargateServiceProps<'a>) -> FargateServiceProps<'a> + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(adjust))
    }

    pub(crate) fn apply<'a>(&self, props: FargateServiceProps<'a>) -> FargateServiceProps<'a> {
        (self.0)(props)
    }
}

impl fmt::Debug for ServiceHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServiceHook(..)")
    }
}

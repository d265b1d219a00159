//! Hooks: functions that adjust an L2 construct's props after a pattern has set them and
//! before it builds the construct, so every knob of the L2 stays reachable from the pattern.
//!
//! Setting a hook twice composes: both run, in the order they were set. A hook is `'static`
//! (the pattern keeps it until it builds): move owned values into it (`move |p| ...`), cloning
//! what the caller still needs.

use std::fmt;
use std::sync::Arc;

use crate::ecs::FargateServiceProps;

/// Adjusts props of type `P` (e.g. a build project's or the pipeline's).
pub struct Hook<P>(Arc<dyn Fn(P) -> P + Send + Sync>);

impl<P> Clone for Hook<P> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<P: 'static> Hook<P> {
    /// A hook running `adjust`.
    pub fn new(adjust: impl Fn(P) -> P + Send + Sync + 'static) -> Self {
        Self(Arc::new(adjust))
    }

    /// `first`, then `adjust`; `adjust` alone when there is no `first`.
    pub(crate) fn then(first: Option<Self>, adjust: impl Fn(P) -> P + Send + Sync + 'static) -> Self {
        match first {
            Some(first) => Self(Arc::new(move |props| adjust(first.apply(props)))),
            None => Self::new(adjust),
        }
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

type AdjustService = dyn for<'a> Fn(FargateServiceProps<'a>) -> FargateServiceProps<'a> + Send + Sync;

/// Adjusts the service's props, like [`Hook`]; a type of its own because the service's props
/// borrow the cluster and task definition the pattern builds.
#[derive(Clone)]
pub struct ServiceHook(Arc<AdjustService>);

impl ServiceHook {
    /// A hook running `adjust`.
    pub fn new(
        adjust: impl for<'a> Fn(FargateServiceProps<'a>) -> FargateServiceProps<'a> + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(adjust))
    }

    /// `first`, then `adjust`; `adjust` alone when there is no `first`.
    pub(crate) fn then(
        first: Option<Self>,
        adjust: impl for<'a> Fn(FargateServiceProps<'a>) -> FargateServiceProps<'a> + Send + Sync + 'static,
    ) -> Self {
        match first {
            Some(first) => Self(Arc::new(move |props| adjust(first.apply(props)))),
            None => Self::new(adjust),
        }
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

// Wiring of the class machinery (runtime/objects/typeobject_heap.ts, propertyobject.ts) into the
// eval loop and the builtins module: `__build_class__`, the evaluator of class bodies, the
// LOAD_METHOD checks (generic getattr, instance attribute shadowing a method) and the printer
// for exceptions escaping `__del__`. Importing this file installs everything (pylifecycle.ts
// imports it before the static types are readied, so `type` gets its methods).

import { bltinHooks } from './bltinmodule.js';
import { methodLookupHook, evalFunctionWithLocals } from '../vm/ceval.js';
import { buildClass, classBodyHook, isGenericGetattrType, instanceHasAttr, callFormatMethod, unraisableHook } from '../objects/typeobject_heap.js';
import { abstractHooks } from '../abstract.js';
import { PyErr_WriteUnraisable } from '../vm/traceback.js';
import '../objects/propertyobject.js';
import { funcDictNew } from '../objects/funcobject.js';
import { PyDict_New } from '../objects/dictobject.js';

bltinHooks.buildClass = buildClass;
classBodyHook.eval = evalFunctionWithLocals;
methodLookupHook.isGeneric = isGenericGetattrType;
methodLookupHook.instanceHas = instanceHasAttr;
abstractHooks.format = callFormatMethod;
unraisableHook.write = (obj) => PyErr_WriteUnraisable(obj);
funcDictNew.f = PyDict_New;

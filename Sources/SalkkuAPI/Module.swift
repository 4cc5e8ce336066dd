import SalkkuCore
